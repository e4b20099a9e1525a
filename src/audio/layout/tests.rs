use super::*;

const RATE: u32 = 1_000;

fn silences(slots: &[Slot]) -> Vec<u64> {
    slots
        .iter()
        .filter_map(|slot| match slot {
            Slot::Silence(len) => Some(*len),
            Slot::Speech { .. } => None,
        })
        .collect()
}

#[test]
fn without_a_target_pauses_and_gaps_keep_their_length() {
    let items = [
        Item::Speech(500),
        Item::Speech(700),
        Item::Pause(3.0),
        Item::Speech(200),
    ];
    let slots = plan(&items, RATE, 0.6, None);
    assert_eq!(
        slots,
        vec![
            Slot::Speech { index: 0, len: 500 },
            Slot::Silence(600),
            Slot::Speech { index: 1, len: 700 },
            Slot::Silence(3_000),
            Slot::Speech { index: 3, len: 200 },
        ]
    );
    assert_eq!(total_len(&slots), 5_000);
}

#[test]
fn empty_speech_takes_no_place_and_adds_no_gap() {
    let items = [Item::Speech(100), Item::Speech(0), Item::Speech(100)];
    let slots = plan(&items, RATE, 0.5, None);
    assert_eq!(silences(&slots), vec![500]);
    assert_eq!(total_len(&slots), 700);
}

#[test]
fn strange_pause_lengths_count_as_none() {
    let items = [
        Item::Pause(f64::NAN),
        Item::Pause(-3.0),
        Item::Pause(f64::INFINITY),
    ];
    assert_eq!(total_len(&plan(&items, RATE, 0.5, None)), 0);
    let items = [Item::Speech(10), Item::Speech(10)];
    assert_eq!(total_len(&plan(&items, RATE, f64::NAN, None)), 20);
}

#[test]
fn a_target_stretches_every_silence_by_one_factor() {
    let items = [
        Item::Speech(1_000),
        Item::Pause(2.0),
        Item::Speech(1_000),
        Item::Speech(1_000),
        Item::Pause(4.0),
    ];
    // 3 s of speech; silences 2 + 0.5 (gap) + 4 = 6.5 s stretched to 26 s: factor 4.
    let slots = plan(&items, RATE, 0.5, Some(29.0));
    assert_eq!(silences(&slots), vec![8_000, 2_000, 16_000]);
    assert_eq!(total_len(&slots), 29_000);
}

#[test]
fn a_target_squeezes_silences_down_to_their_floor_only() {
    // Floors: 20 s -> 5 s, 0.5 s -> 0.2 s. Room 6 s: the long pause gives 5.8 s at
    // factor 0.29, the short one stays at its floor.
    let items = [Item::Speech(1_000), Item::Pause(20.0), Item::Pause(0.5)];
    let slots = plan(&items, RATE, 0.6, Some(7.0));
    assert_eq!(silences(&slots), vec![5_800, 200]);
}

#[test]
fn speech_longer_than_the_target_keeps_floor_pauses() {
    let items = [
        Item::Speech(10_000),
        Item::Pause(8.0),
        Item::Speech(10_000),
        Item::Pause(0.1),
    ];
    let slots = plan(&items, RATE, 0.6, Some(15.0));
    assert_eq!(silences(&slots), vec![2_000, 100]);
    assert_eq!(total_len(&slots), 22_100);
}

#[test]
fn with_nothing_to_stretch_the_target_is_not_reached() {
    let items = [Item::Speech(1_000)];
    assert_eq!(total_len(&plan(&items, RATE, 0.6, Some(60.0))), 1_000);
}

#[test]
fn many_silences_still_sum_to_the_target_exactly() {
    let mut items = Vec::new();
    for _ in 0..333 {
        items.push(Item::Speech(1_234));
        items.push(Item::Pause(1.0 / 3.0));
    }
    let slots = plan(&items, 24_000, 0.6, Some(600.0));
    assert_eq!(total_len(&slots), 600 * 24_000);
}

#[test]
fn only_pauses_fill_the_target() {
    let items = [Item::Pause(5.0), Item::Pause(15.0)];
    let slots = plan(&items, RATE, 0.6, Some(60.0));
    assert_eq!(silences(&slots), vec![15_000, 45_000]);
}
