//! Where everything sits on the timeline: speech, the gaps between sentences, and pauses
//! stretched or squeezed by one factor so the track lasts as long as asked.

/// A scaled pause or gap keeps at least this share of its given length...
pub const MIN_PAUSE_SHARE: f64 = 0.25;
/// ...and at least this many seconds (or its given length, if shorter).
pub const MIN_PAUSE_SECONDS: f64 = 0.2;
/// Longest track assembled: four hours.
pub const MAX_TRACK_SECONDS: f64 = 4.0 * 3600.0;
/// Halvings when searching the scale factor: far past f64 precision.
const SCALE_SEARCH_STEPS: usize = 100;

/// A piece of the track before silences are sized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Item {
    /// Speech of this many samples (at the output rate).
    Speech(usize),
    /// A pause of this many seconds, as given.
    Pause(f64),
}

/// A piece of the track, sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// The speech of item `index`.
    Speech { index: usize, len: usize },
    /// Silence of this many samples.
    Silence(u64),
}

impl Slot {
    pub(super) fn len(&self) -> u64 {
        match *self {
            Slot::Speech { len, .. } => len as u64,
            Slot::Silence(len) => len,
        }
    }
}

/// The timeline of `items`: speech as it is, `gap` seconds between two speech items that
/// follow each other, pauses as given; with a `target` length (seconds), every pause and
/// gap scaled by one factor to reach it, none below its floor (see [`MIN_PAUSE_SHARE`]).
/// Empty speech takes no place at all.
pub(super) fn plan(items: &[Item], sample_rate: u32, gap: f64, target: Option<f64>) -> Vec<Slot> {
    let blocks = blocks(items, gap);
    let given: Vec<f64> = blocks.iter().filter_map(Block::silence).collect();
    let seconds = match target {
        Some(target) => {
            let speech: usize = blocks.iter().filter_map(Block::speech_len).sum();
            let speech_seconds = speech as f64 / f64::from(sample_rate.max(1));
            fit(&given, target - speech_seconds)
        }
        None => given,
    };
    let mut silences = to_samples(&seconds, sample_rate).into_iter();
    blocks
        .iter()
        .map(|block| match *block {
            Block::Speech { index, len } => Slot::Speech { index, len },
            Block::Silence(_) => Slot::Silence(silences.next().unwrap_or(0)),
        })
        .collect()
}

/// Samples in the whole timeline.
pub(super) fn total_len(slots: &[Slot]) -> u64 {
    slots.iter().map(Slot::len).sum()
}

/// The timeline with silences still in seconds, as given.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Block {
    Speech { index: usize, len: usize },
    Silence(f64),
}

impl Block {
    fn silence(&self) -> Option<f64> {
        match *self {
            Block::Silence(seconds) => Some(seconds),
            Block::Speech { .. } => None,
        }
    }

    fn speech_len(&self) -> Option<usize> {
        match *self {
            Block::Speech { len, .. } => Some(len),
            Block::Silence(_) => None,
        }
    }
}

fn blocks(items: &[Item], gap: f64) -> Vec<Block> {
    let mut blocks = Vec::with_capacity(items.len() * 2);
    let mut after_speech = false;
    for (index, item) in items.iter().enumerate() {
        match *item {
            Item::Speech(0) => {}
            Item::Speech(len) => {
                if after_speech {
                    blocks.push(Block::Silence(sanitise(gap)));
                }
                blocks.push(Block::Speech { index, len });
                after_speech = true;
            }
            Item::Pause(seconds) => {
                blocks.push(Block::Silence(sanitise(seconds)));
                after_speech = false;
            }
        }
    }
    blocks
}

/// Lengths for silences given as `given` so they sum to `room` seconds: each is
/// `max(k · given, floor)` for one factor `k`; all at their floor when there is no room.
fn fit(given: &[f64], room: f64) -> Vec<f64> {
    let size = |k: f64, g: f64| (k * g).max(floor(g)).min(MAX_TRACK_SECONDS);
    let total = |k: f64| -> f64 { given.iter().map(|&g| size(k, g)).sum() };
    let stretchable: f64 = given.iter().sum();
    let k = if !room.is_finite() || room <= total(0.0) || stretchable <= 0.0 {
        0.0
    } else {
        // total(k) grows with k and reaches `room` by k = room / stretchable at the latest.
        let (mut low, mut high) = (0.0, room / stretchable);
        for _ in 0..SCALE_SEARCH_STEPS {
            let middle = (low + high) / 2.0;
            if total(middle) < room {
                low = middle;
            } else {
                high = middle;
            }
        }
        high
    };
    given.iter().map(|&g| size(k, g)).collect()
}

/// The shortest a silence given as `given` seconds may become.
fn floor(given: f64) -> f64 {
    (MIN_PAUSE_SHARE * given).max(MIN_PAUSE_SECONDS).min(given)
}

/// Seconds to whole samples, rounding the running total so the rounding errors of many
/// silences do not add up.
fn to_samples(seconds: &[f64], sample_rate: u32) -> Vec<u64> {
    let rate = f64::from(sample_rate);
    let mut elapsed = 0.0;
    let mut done = 0u64;
    seconds
        .iter()
        .map(|&s| {
            elapsed += s;
            let end = (elapsed * rate).round() as u64;
            let len = end.saturating_sub(done);
            done = done.max(end);
            len
        })
        .collect()
}

/// A usable length: negative or non-finite seconds count as none.
fn sanitise(seconds: f64) -> f64 {
    if seconds.is_finite() {
        seconds.clamp(0.0, MAX_TRACK_SECONDS)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests;
