use super::*;

fn none() -> Slots {
    Slots::default()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}

type Row = (&'static str, Option<SlotName>, Slots);

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    let ask = Some;
    vec![
        // intent
        ("I can't sleep", None, Slots { intent: Some(Intent::Sleep), ..none() }),
        ("I've had insomnia for months", None, Slots { intent: Some(Intent::Sleep), ..none() }),
        ("help me fall asleep faster", None, Slots { intent: Some(Intent::Sleep), ..none() }),
        ("something to wind down for bed", None, Slots { intent: Some(Intent::Sleep), time_of_day: Some(TimeOfDay::Night), ..none() }),
        ("I just want to relax", None, Slots { intent: Some(Intent::Calm), ..none() }),
        ("I need some peace, time to unwind", None, Slots { intent: Some(Intent::Calm), ..none() }),
        ("I want to settle my mind", None, Slots { intent: Some(Intent::Calm), ..none() }),
        ("I feel so anxious all the time", None, Slots { intent: Some(Intent::Anxiety), ..none() }),
        ("racing thoughts keep me up", None, Slots { intent: Some(Intent::Anxiety), ..none() }),
        ("I get nervous and panic easily", None, Slots { intent: Some(Intent::Anxiety), ..none() }),
        ("I'm so stressed and overwhelmed at work", None, Slots { intent: Some(Intent::Stress), ..none() }),
        ("I'm completely burned out", None, Slots { intent: Some(Intent::Stress), ..none() }),
        ("I need to concentrate on deep work", None, Slots { intent: Some(Intent::Focus), ..none() }),
        ("help me study for my exams", None, Slots { intent: Some(Intent::Focus), ..none() }),
        ("I want to believe in myself", None, Slots { intent: Some(Intent::Confidence), ..none() }),
        ("I have a job interview tomorrow", None, Slots { intent: Some(Intent::Confidence), ..none() }),
        ("I'm nervous about public speaking", None, Slots { intent: Some(Intent::Anxiety), ..none() }),
        ("I'm so grateful and thankful for my life", None, Slots { intent: Some(Intent::Gratitude), ..none() }),
        ("I want to appreciate the little things", None, Slots { intent: Some(Intent::Gratitude), ..none() }),
        ("I'm tired all the time and want to feel alive", None, Slots { intent: Some(Intent::Energy), ..none() }),
        ("I need to wake up properly", None, Slots { intent: Some(Intent::Energy), ..none() }),
        ("I want to learn to love myself", None, Slots { intent: Some(Intent::SelfLove), ..none() }),
        ("I need to be kinder to myself", None, Slots { intent: Some(Intent::SelfLove), ..none() }),
        ("help me heal after my breakup", None, Slots { intent: Some(Intent::Healing), ..none() }),
        ("I'm recovering from trauma", None, Slots { intent: Some(Intent::Healing), ..none() }),
        ("I keep procrastinating and can't get going", None, Slots { intent: Some(Intent::Motivation), ..none() }),
        ("I want to stick to my goals", None, Slots { intent: Some(Intent::Motivation), ..none() }),
        ("my dad passed away last month", None, Slots { intent: Some(Intent::Grief), ..none() }),
        ("I lost my mom and I'm grieving", None, Slots { intent: Some(Intent::Grief), ..none() }),
        ("SLEEP!!!", None, Slots { intent: Some(Intent::Sleep), ..none() }),
        // negation
        ("I'm not anxious, I just want to focus", None, Slots { intent: Some(Intent::Focus), ..none() }),
        ("I'm not anxious I just want to focus", None, Slots { intent: Some(Intent::Focus), ..none() }),
        ("this is not about sleep, I want more confidence", None, Slots { intent: Some(Intent::Confidence), ..none() }),
        ("not about sleep", None, none()),
        ("I don't want a sleep meditation, I want focus", None, Slots { intent: Some(Intent::Focus), ..none() }),
        ("I don't want to feel anxious anymore", None, Slots { intent: Some(Intent::Anxiety), ..none() }),
        ("I'm not confident at all", None, Slots { intent: Some(Intent::Confidence), ..none() }),
        ("I'm not stressed, just tired", None, Slots { intent: Some(Intent::Energy), ..none() }),
        ("no energy lately", None, Slots { intent: Some(Intent::Energy), ..none() }),
        ("not at night, in the morning", None, Slots { time_of_day: Some(TimeOfDay::Morning), ..none() }),
        ("nothing too cheerful, keep it grounded", None, Slots { tone: Some(Tone::Grounding), ..none() }),
        ("not 30 minutes, 10 minutes", None, Slots { duration_minutes: Some(10), ..none() }),
        // calm: intent or tone
        ("I want to feel calm", None, Slots { intent: Some(Intent::Calm), ..none() }),
        ("calm", None, Slots { intent: Some(Intent::Calm), ..none() }),
        ("a calm voice please", None, Slots { tone: Some(Tone::Calm), ..none() }),
        ("say it calmly", None, Slots { tone: Some(Tone::Calm), ..none() }),
        ("I'm anxious, I want to feel calm, with a calm tone", None, Slots { intent: Some(Intent::Anxiety), tone: Some(Tone::Calm), ..none() }),
        ("calm", ask(SlotName::Tone), Slots { tone: Some(Tone::Calm), ..none() }),
        ("calm", ask(SlotName::Intent), Slots { intent: Some(Intent::Calm), ..none() }),
        ("an energetic voice", None, Slots { tone: Some(Tone::Uplifting), ..none() }),
        ("I want to feel energetic", None, Slots { intent: Some(Intent::Energy), ..none() }),
        // time of day
        ("I'd like to do it when I wake up", None, Slots { time_of_day: Some(TimeOfDay::Morning), ..none() }),
        ("first thing, at sunrise", None, Slots { time_of_day: Some(TimeOfDay::Morning), ..none() }),
        ("during my lunch break", None, Slots { time_of_day: Some(TimeOfDay::Midday), ..none() }),
        ("in the afternoon", None, Slots { time_of_day: Some(TimeOfDay::Afternoon), ..none() }),
        ("after work", None, Slots { time_of_day: Some(TimeOfDay::Evening), ..none() }),
        ("right before bed", None, Slots { time_of_day: Some(TimeOfDay::Night), ..none() }),
        ("at bedtime, I can't sleep", None, Slots { intent: Some(Intent::Sleep), time_of_day: Some(TimeOfDay::Night), ..none() }),
        ("whenever, really", None, Slots { time_of_day: Some(TimeOfDay::Anytime), ..none() }),
        ("mornings", ask(SlotName::TimeOfDay), Slots { time_of_day: Some(TimeOfDay::Morning), ..none() }),
        ("doesn't matter", ask(SlotName::TimeOfDay), Slots { time_of_day: Some(TimeOfDay::Anytime), ..none() }),
        // duration
        ("a quick 5 minute meditation", None, Slots { duration_minutes: Some(5), ..none() }),
        ("ten minutes please", None, Slots { duration_minutes: Some(10), ..none() }),
        ("a 15-minute session", None, Slots { duration_minutes: Some(15), ..none() }),
        ("20 mins", None, Slots { duration_minutes: Some(20), ..none() }),
        ("5min", None, Slots { duration_minutes: Some(5), ..none() }),
        ("half an hour", None, Slots { duration_minutes: Some(30), ..none() }),
        ("an hour", None, Slots { duration_minutes: Some(60), ..none() }),
        ("a quarter of an hour", None, Slots { duration_minutes: Some(15), ..none() }),
        ("quarter hour", None, Slots { duration_minutes: Some(15), ..none() }),
        ("one and a half hours", None, Slots { duration_minutes: Some(90), ..none() }),
        ("an hour and a half", None, Slots { duration_minutes: Some(90), ..none() }),
        ("1.5 hours", None, Slots { duration_minutes: Some(90), ..none() }),
        ("90 minutes", None, Slots { duration_minutes: Some(90), ..none() }),
        ("a couple of minutes", None, Slots { duration_minutes: Some(2), ..none() }),
        ("a few minutes", None, Slots { duration_minutes: Some(3), ..none() }),
        ("two hours", None, Slots { duration_minutes: Some(120), ..none() }),
        ("30 seconds", None, Slots { duration_minutes: Some(1), ..none() }),
        ("twenty-five minutes", None, Slots { duration_minutes: Some(25), ..none() }),
        ("10-15 minutes", None, Slots { duration_minutes: Some(10), ..none() }),
        ("300 minutes", None, none()),
        ("0 minutes", None, none()),
        ("give me a minute", None, none()),
        ("ten", ask(SlotName::Duration), Slots { duration_minutes: Some(10), ..none() }),
        ("about 20", ask(SlotName::Duration), Slots { duration_minutes: Some(20), ..none() }),
        ("15", ask(SlotName::Duration), Slots { duration_minutes: Some(15), ..none() }),
        ("maybe 10 or 15", ask(SlotName::Duration), Slots { duration_minutes: Some(10), ..none() }),
        ("ten", None, none()),
        ("I have 2 kids", ask(SlotName::Duration), none()),
        // voice
        ("a female voice", None, Slots { voice: Some(VoiceStyle::Female), ..none() }),
        ("I'd like a woman's voice", None, Slots { voice: Some(VoiceStyle::Female), ..none() }),
        ("deep male voice", None, Slots { voice: Some(VoiceStyle::Male), ..none() }),
        ("a man's voice", None, Slots { voice: Some(VoiceStyle::Male), ..none() }),
        ("neutral voice", None, Slots { voice: Some(VoiceStyle::Neutral), ..none() }),
        ("female", ask(SlotName::Voice), Slots { voice: Some(VoiceStyle::Female), ..none() }),
        ("a man", ask(SlotName::Voice), Slots { voice: Some(VoiceStyle::Male), ..none() }),
        ("neutral", ask(SlotName::Voice), Slots { voice: Some(VoiceStyle::Neutral), ..none() }),
        ("either is fine", ask(SlotName::Voice), none()),
        ("doesn't matter", ask(SlotName::Voice), none()),
        ("I'm a woman and I feel stressed", None, Slots { intent: Some(Intent::Stress), ..none() }),
        ("not a male voice", None, none()),
        // pace
        ("slowly please", None, Slots { pace: Some(Pace::Slower), ..none() }),
        ("take it slow", None, Slots { pace: Some(Pace::Slower), ..none() }),
        ("a normal pace", None, Slots { pace: Some(Pace::Moderate), ..none() }),
        ("brisk and upbeat pace", None, Slots { pace: Some(Pace::Faster), ..none() }),
        ("not too fast", None, Slots { pace: Some(Pace::Slower), ..none() }),
        ("quick", ask(SlotName::Pace), Slots { pace: Some(Pace::Faster), ..none() }),
        ("something quick for my morning", None, Slots { time_of_day: Some(TimeOfDay::Morning), ..none() }),
        // tone
        ("warm and gentle", None, Slots { tone: Some(Tone::Warm), ..none() }),
        ("soft and tender", None, Slots { tone: Some(Tone::Gentle), ..none() }),
        ("soothing", None, Slots { tone: Some(Tone::Calm), ..none() }),
        ("something uplifting and cheerful", None, Slots { tone: Some(Tone::Uplifting), ..none() }),
        ("grounding", None, Slots { tone: Some(Tone::Grounding), ..none() }),
        ("matter-of-fact, plain", None, Slots { tone: Some(Tone::Neutral), ..none() }),
        ("neutral", ask(SlotName::Tone), Slots { tone: Some(Tone::Neutral), ..none() }),
        // name
        ("my name is Sam", None, Slots { name: some("Sam"), ..none() }),
        ("call me Alex", None, Slots { name: some("Alex"), ..none() }),
        ("Hi, I'm Sam and I can't sleep", None, Slots { name: some("Sam"), intent: Some(Intent::Sleep), ..none() }),
        ("I'm tired", None, Slots { intent: Some(Intent::Energy), ..none() }),
        ("I'm Anxious", None, Slots { intent: Some(Intent::Anxiety), ..none() }),
        ("I am Happy", None, none()),
        ("this is Mary-Jane", None, Slots { name: some("Mary-Jane"), ..none() }),
        ("It's Jo", None, Slots { name: some("Jo"), ..none() }),
        ("my name is Sam O\u{2019}Brien", None, Slots { name: some("Sam O'Brien"), ..none() }),
        ("Sam", ask(SlotName::Name), Slots { name: some("Sam"), ..none() }),
        ("mary ann", ask(SlotName::Name), Slots { name: some("mary ann"), ..none() }),
        ("it's just Priya, thanks", ask(SlotName::Name), Slots { name: some("Priya"), ..none() }),
        ("I'd rather not", ask(SlotName::Name), none()),
        (
            "I'm Grace and I want to feel more confident before my presentation",
            None,
            Slots {
                name: some("Grace"),
                intent: Some(Intent::Confidence),
                ..none()
            },
        ),
        // context
        (
            "I have a big exam on Friday",
            ask(SlotName::Context),
            Slots {
                context: some("I have a big exam on Friday"),
                intent: Some(Intent::Focus),
                ..none()
            },
        ),
        ("skip", ask(SlotName::Context), none()),
        ("I'd rather not say", ask(SlotName::Context), none()),
        ("not really", ask(SlotName::Context), none()),
        ("no thanks", ask(SlotName::Context), none()),
        (
            "I want to sleep because my new baby wakes me up",
            None,
            Slots {
                intent: Some(Intent::Sleep),
                context: some("my new baby wakes me up"),
                ..none()
            },
        ),
        ("I have a big exam on Friday", None, Slots { intent: Some(Intent::Focus), ..none() }),
        // everything at once
        (
            "I'm Sam. 10 minutes before bed, female voice, slow, warm tone. I can't sleep.",
            None,
            Slots {
                intent: Some(Intent::Sleep),
                context: None,
                time_of_day: Some(TimeOfDay::Night),
                duration_minutes: Some(10),
                voice: Some(VoiceStyle::Female),
                pace: Some(Pace::Slower),
                tone: Some(Tone::Warm),
                name: some("Sam"),
            },
        ),
        (
            "Could you make it a 10 minute evening ritual with a soft female voice, speaking slowly?",
            None,
            Slots {
                time_of_day: Some(TimeOfDay::Evening),
                duration_minutes: Some(10),
                voice: Some(VoiceStyle::Female),
                pace: Some(Pace::Slower),
                tone: Some(Tone::Gentle),
                ..none()
            },
        ),
        // small talk: nothing
        ("hello", None, none()),
        ("ok", None, none()),
        ("yes please", None, none()),
        ("hmm", None, none()),
        ("what can you do?", None, none()),
        ("thanks!", None, none()),
        ("", None, none()),
        ("   ", None, none()),
        ("Good morning!", None, none()),
        ("thank you, I appreciate it", None, none()),
        ("no worries", None, none()),
        ("sounds good", None, none()),
        ("How does this work?", None, none()),
        ("🙂👍", None, none()),
        ("Hi there, how are you?", None, none()),
        ("cool, let's do it", None, none()),
        ("hmm", ask(SlotName::Duration), none()),
        ("yes please", ask(SlotName::Name), none()),
    ]
}

#[test]
fn table() {
    let rows = rows();
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(text, asking, want)| {
            let got = extract(text, *asking);
            (got != *want)
                .then(|| format!("{text:?} asking {asking:?}\n  want {want:?}\n  got  {got:?}"))
        })
        .collect();
    assert!(rows.len() >= 70, "only {} rows", rows.len());
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn long_context_is_cut_at_a_word() {
    let text = "word ".repeat(100) + "end";
    let got = extract(&text, Some(SlotName::Context));
    let context = got.context.unwrap_or_default();
    assert!(context.chars().count() <= MAX_CONTEXT_CHARS);
    assert!(context.split(' ').all(|w| w == "word"), "{context:?}");
    let tabs = extract("a\tb\u{0}\n  c", Some(SlotName::Context));
    assert_eq!(tabs.context.as_deref(), Some("a b c"));
}

/// xorshift: deterministic noise without a dependency.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % 1_000_003).unwrap_or(0)
    }
}

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "a", "an", "and", "half", "hour", "minutes", "min", "5", "1.5", "99999999999999999999",
    "0", ".", ",", "-", "'", "’", "I'm", "Sam", "not", "no", "calm", "voice", "female", "slow",
    "fast", "asleep", "because", "my name is", "call me", "à", "ß", "İ", "ﬁ", "\u{0}", "\u{7}",
    "\n", "\t", "\u{200b}", "\u{202e}", "😀", "👩‍👧", "e\u{301}", "中文", "العربية", "русский",
    "१२३", "٣", "½", "quarter", "of", "couple", "twenty", "five", "hundred", "to", "or", "   ",
    "!!!", "\"", "🙂", "\u{feff}", "\u{10ffff}",
];

fn check(slots: &Slots) {
    if let Some(name) = &slots.name {
        assert!(
            !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS,
            "{name:?}"
        );
        assert!(
            name.chars().all(|c| c.is_alphabetic() || " -'".contains(c)),
            "{name:?}"
        );
    }
    if let Some(context) = &slots.context {
        assert!(!context.is_empty() && context.chars().count() <= MAX_CONTEXT_CHARS);
    }
    if let Some(minutes) = slots.duration_minutes {
        assert!((1..=180).contains(&minutes));
    }
}

#[test]
fn garbage_does_not_panic() {
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let askings: Vec<Option<SlotName>> = std::iter::once(None)
        .chain(SlotName::ALL.into_iter().map(Some))
        .collect();
    for round in 0..400 {
        let len = noise.next() % 40;
        let text: String = (0..len)
            .map(|_| {
                let piece = PIECES[noise.next() % PIECES.len()];
                let sep = if noise.next().is_multiple_of(3) {
                    ""
                } else {
                    " "
                };
                format!("{piece}{sep}")
            })
            .collect();
        let asking = askings[round % askings.len()];
        let slots = extract(&text, asking);
        check(&slots);
        assert_eq!(slots, extract(&text, asking), "not deterministic: {text:?}");
    }
    let huge = [
        "a".repeat(1_000_000),
        "9".repeat(100_000) + " minutes",
        "1.".repeat(50_000),
        "\u{0}".repeat(100_000),
        "😀".repeat(100_000),
        "I'm Sam ".repeat(20_000),
        "not ".repeat(20_000) + "sleep",
        "calm voice ".repeat(20_000),
        "x".repeat(5_000) + " I am " + &"Y".repeat(100),
    ];
    for text in &huge {
        for asking in &askings {
            check(&extract(text, *asking));
        }
    }
}
