use super::*;

fn speech(text: &str) -> Part {
    Part::Speech(text.to_owned())
}

#[test]
fn sentences_become_speech_parts_with_their_punctuation() {
    let parts = split_script("Close your eyes. Breathe in!  Are you here?\nGood");
    assert_eq!(
        parts,
        vec![
            speech("Close your eyes."),
            speech("Breathe in!"),
            speech("Are you here?"),
            speech("Good"),
        ]
    );
}

#[test]
fn pause_marks_keep_their_seconds() {
    let parts = split_script("Breathe in. [pause 4s] Breathe out.\n[pause 12s]\nRest.");
    assert_eq!(
        parts,
        vec![
            speech("Breathe in."),
            Part::Pause(4.0),
            speech("Breathe out."),
            Part::Pause(12.0),
            speech("Rest."),
        ]
    );
}

#[test]
fn a_pause_mark_inside_a_sentence_splits_it() {
    let parts = split_script("Breathe in [pause 3s] and out.");
    assert_eq!(
        parts,
        vec![speech("Breathe in"), Part::Pause(3.0), speech("and out.")]
    );
}

#[test]
fn a_blank_line_between_sentences_is_a_short_pause() {
    let parts = split_script("Welcome.\n\n  \nLet us begin.\nSlowly.");
    assert_eq!(
        parts,
        vec![
            speech("Welcome."),
            Part::Pause(PARAGRAPH_PAUSE),
            speech("Let us begin."),
            speech("Slowly."),
        ]
    );
}

#[test]
fn blank_lines_around_a_pause_mark_add_nothing_to_it() {
    let parts = split_script("Settle.\n\n[pause 5s]\n\nNotice.");
    assert_eq!(
        parts,
        vec![speech("Settle."), Part::Pause(5.0), speech("Notice.")]
    );
}

#[test]
fn adjacent_pauses_are_summed() {
    let parts = split_script("Rest. [pause 3s] [pause 2s]\n[pause 10s] Return.");
    assert_eq!(
        parts,
        vec![speech("Rest."), Part::Pause(15.0), speech("Return.")]
    );
}

#[test]
fn an_ellipsis_is_one_sentence_end() {
    let parts = split_script("Let go... Let it all go… and rest. \"Be still.\" Now");
    assert_eq!(
        parts,
        vec![
            speech("Let go..."),
            speech("Let it all go…"),
            speech("and rest."),
            speech("\"Be still.\""),
            speech("Now"),
        ]
    );
}

#[test]
fn abbreviations_and_decimals_do_not_end_sentences() {
    let parts = split_script("Dr. Lee and Mrs. Hart say breathe 3.5 times. Then rest.");
    assert_eq!(
        parts,
        vec![
            speech("Dr. Lee and Mrs. Hart say breathe 3.5 times."),
            speech("Then rest."),
        ]
    );
}

#[test]
fn long_sentences_are_split_under_the_cap_at_clauses() {
    let clause = "let your shoulders soften and your jaw release, ";
    let sentence = format!("{}and rest.", clause.repeat(20));
    let parts = split_script(&sentence);
    assert!(parts.len() > 2, "{parts:?}");
    let mut rebuilt = Vec::new();
    for part in &parts {
        let Part::Speech(text) = part else {
            panic!("only speech expected: {part:?}");
        };
        assert!(text.chars().count() <= MAX_SEGMENT_CHARS, "{text}");
        assert!(!text.starts_with(' ') && !text.ends_with(' '));
        rebuilt.push(text.as_str());
    }
    assert!(rebuilt[0].ends_with(','), "{}", rebuilt[0]);
    assert_eq!(rebuilt.join(" "), sentence.trim());
}

#[test]
fn long_sentences_without_clauses_split_at_words_or_anywhere() {
    let words = "calm ".repeat(200);
    for part in split_script(&words) {
        let Part::Speech(text) = part else {
            panic!("only speech expected");
        };
        assert!(text.chars().count() <= MAX_SEGMENT_CHARS);
        assert!(text.split(' ').all(|word| word == "calm"), "{text}");
    }
    let one_word = "ä".repeat(MAX_SEGMENT_CHARS * 2 + 7);
    let parts = split_script(&one_word);
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2], Part::Speech("ä".repeat(7)));
}

#[test]
fn empty_and_wordless_scripts_have_no_parts() {
    assert!(split_script("").is_empty());
    assert!(split_script("  \n\n \t ").is_empty());
    assert!(split_script("... !").is_empty());
}

#[test]
fn a_script_of_only_a_pause_is_one_pause() {
    assert_eq!(split_script("[pause 30s]"), vec![Part::Pause(30.0)]);
    assert_eq!(
        split_script("\n[pause 30s]\n\n[pause 30s]\n"),
        vec![Part::Pause(60.0)]
    );
}
