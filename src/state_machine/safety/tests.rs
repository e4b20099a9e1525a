use super::*;

/// Messages that must reach at least the given level.
const MUST_TRIGGER: &[(&str, RiskLevel)] = &[
    // Critical: intent with a plan, means or time.
    ("I'm going to kill myself tonight", RiskLevel::Critical),
    ("I have the pills ready", RiskLevel::Critical),
    ("I've written my goodbye letters", RiskLevel::Critical),
    ("this is my last night", RiskLevel::Critical),
    ("gonna kms tonight", RiskLevel::Critical),
    ("I'm going to end my life this weekend", RiskLevel::Critical),
    (
        "I want to die and I've been saving up my pills",
        RiskLevel::Critical,
    ),
    ("I'm planning to hurt myself tonight", RiskLevel::Critical),
    ("I want to kill him. I have a gun.", RiskLevel::Critical),
    ("tied a noose in the garage", RiskLevel::Critical),
    ("i'm gonna end it tonight", RiskLevel::Critical),
    ("I just took all my pills", RiskLevel::Critical),
    (
        "I'm standing on the bridge and I want to end it all",
        RiskLevel::Critical,
    ),
    // High: ideation or intent.
    ("I want to die", RiskLevel::High),
    ("I don't want to be alive anymore", RiskLevel::High),
    ("I don’t want to live anymore", RiskLevel::High),
    ("thinking about ending it all", RiskLevel::High),
    ("everyone would be better off without me", RiskLevel::High),
    ("I want to hurt myself", RiskLevel::High),
    ("I'm going to hurt someone", RiskLevel::High),
    ("suicide", RiskLevel::High),
    ("kms", RiskLevel::High),
    ("i wanna die", RiskLevel::High),
    ("want 2 die", RiskLevel::High),
    ("I WANT TO DIEEEE", RiskLevel::High),
    ("i want to fucking die", RiskLevel::High),
    ("I just want to end it all", RiskLevel::High),
    ("I keep thinking about unaliving myself", RiskLevel::High),
    ("I wish I was dead", RiskLevel::High),
    ("there's no reason to live", RiskLevel::High),
    ("Life isn’t worth living", RiskLevel::High),
    ("I've been having suicidal thoughts", RiskLevel::High),
    ("I think I'm suicidal", RiskLevel::High),
    ("i dont know i want to die", RiskLevel::High),
    ("no i want to die", RiskLevel::High),
    ("I'm not sure I want to live anymore", RiskLevel::High),
    ("they'd all be better off if I was gone", RiskLevel::High),
    (
        "I can't stop thinking about killing myself",
        RiskLevel::High,
    ),
    ("i should kys", RiskLevel::High),
    ("I hope I never wake up", RiskLevel::High),
    ("I want to hurt myself at school", RiskLevel::High),
    // Review gaps: intent and ideation phrasings that were missed.
    (
        "I'm going to take all my pills tonight",
        RiskLevel::Critical,
    ),
    ("I'm going to swallow all my pills", RiskLevel::Critical),
    ("I'm going to take all my meds at once", RiskLevel::Critical),
    ("I'm going to end things tonight", RiskLevel::Critical),
    ("I want to take my life", RiskLevel::High),
    ("I want to end it", RiskLevel::High),
    ("I want to end things", RiskLevel::High),
    ("I've decided to end it", RiskLevel::High),
    ("I took an overdose", RiskLevel::High),
    ("I've taken an overdose", RiskLevel::High),
    ("I keep wanting to die", RiskLevel::High),
    ("I've been wanting to die for weeks", RiskLevel::High),
    ("I want to die for real", RiskLevel::High),
    ("No one would care if I killed myself", RiskLevel::High),
    ("nobody would even notice if I was dead", RiskLevel::High),
    ("no one cares if I live or die", RiskLevel::High),
    ("Everyone would be happier if I was dead", RiskLevel::High),
    ("everyone will be better off when I'm gone", RiskLevel::High),
    (
        "the world would be a better place without me",
        RiskLevel::High,
    ),
    ("I want to stab myself", RiskLevel::High),
    ("I no longer want to live", RiskLevel::High),
    ("I'd rather be dead", RiskLevel::High),
    ("I'd rather die", RiskLevel::High),
    ("I should just die", RiskLevel::High),
    ("I deserve to die", RiskLevel::High),
    ("I don't have any reason to live", RiskLevel::High),
    ("I have nothing left to live for", RiskLevel::High),
    ("I wish I wasn't alive", RiskLevel::High),
    ("I wish I didn't exist", RiskLevel::High),
    ("I want to stop existing", RiskLevel::High),
    ("I just want it all to be over", RiskLevel::High),
    ("I want to jump off a cliff", RiskLevel::High),
    ("I want to jump out of the window", RiskLevel::High),
    ("I'm going to step in front of a train", RiskLevel::High),
    ("I want to walk into traffic", RiskLevel::High),
    // Sleep phrases stay High on their own or with "at all".
    ("sleep and not wake up", RiskLevel::High),
    ("I don't want to wake up", RiskLevel::High),
    ("I don't want to wake up at all", RiskLevel::High),
    ("I want to sleep and not wake up at all", RiskLevel::High),
    ("I hope I never wake up again", RiskLevel::High),
    ("I want to cut myself", RiskLevel::High),
    ("I'm going to kill myself", RiskLevel::High),
    ("I'm killing myself with these pills", RiskLevel::Critical),
    // Medium: self-harm history or urges, hopelessness, others at risk.
    ("I've been cutting again", RiskLevel::Medium),
    ("I feel hopeless", RiskLevel::Medium),
    ("I can't go on like this", RiskLevel::Medium),
    ("there's no point in anything", RiskLevel::Medium),
    ("I hurt myself again last night", RiskLevel::Medium),
    ("I can’t take it anymore", RiskLevel::Medium),
    ("self-harm urges are back", RiskLevel::Medium),
    ("I'm such a burden", RiskLevel::Medium),
    ("I just want to give up", RiskLevel::Medium),
    ("kys", RiskLevel::Medium),
    ("my friend wants to kill herself", RiskLevel::Medium),
    ("a novel about suicide prevention", RiskLevel::Medium),
    // Low: distress words.
    ("I'm depressed", RiskLevel::Low),
    ("feeling anxious about tomorrow", RiskLevel::Low),
    ("struggling lately", RiskLevel::Low),
    ("totally overwhelmed", RiskLevel::Low),
    ("I'm so stressed", RiskLevel::Low),
    ("I've been so lonely", RiskLevel::Low),
    ("I had a panic attack at work", RiskLevel::Low),
    ("I'm burnt out", RiskLevel::Low),
];

/// Messages that must stay at or below the given level (all below High).
const MUST_NOT_HOLD: &[(&str, RiskLevel)] = &[
    // Idioms.
    ("I'm dying to try this", RiskLevel::None),
    ("this workout is killing me", RiskLevel::None),
    ("my feet are killing me", RiskLevel::None),
    ("I could die laughing", RiskLevel::None),
    ("this cake is to die for", RiskLevel::None),
    ("I'm dead tired", RiskLevel::None),
    ("I killed it at work today", RiskLevel::None),
    ("just trying to kill time", RiskLevel::None),
    ("the suspense is killing me", RiskLevel::None),
    ("my phone died", RiskLevel::None),
    ("you're killing it", RiskLevel::None),
    ("I'd kill for a coffee", RiskLevel::None),
    ("she's drop dead gorgeous", RiskLevel::None),
    ("I'm dead serious", RiskLevel::None),
    ("the plant died", RiskLevel::None),
    ("I nearly died of embarrassment", RiskLevel::None),
    ("shoot me an email", RiskLevel::None),
    ("this traffic will be the death of me", RiskLevel::Low),
    ("I want to die of embarrassment", RiskLevel::None),
    ("I'm ready to die on this hill", RiskLevel::None),
    ("I'm shooting myself in the foot here", RiskLevel::None),
    ("that would be career suicide", RiskLevel::None),
    ("we did suicide sprints at practice", RiskLevel::None),
    ("I'm a hopeless romantic", RiskLevel::None),
    ("I ran 10 kms today", RiskLevel::None),
    ("my mom is going to kill me", RiskLevel::None),
    (
        "I'm going to kill it at the presentation tomorrow",
        RiskLevel::None,
    ),
    ("I'm killing myself at work to finish this", RiskLevel::None),
    // Not self-harm.
    ("cutting vegetables for dinner", RiskLevel::None),
    ("I'm cutting back on sugar", RiskLevel::None),
    ("cutting my hair short", RiskLevel::None),
    ("I hurt myself at the gym", RiskLevel::None),
    ("I cut myself shaving", RiskLevel::None),
    (
        "I'm going to hurt her feelings if I cancel",
        RiskLevel::None,
    ),
    // Benign continuations of risk phrases.
    ("I can't go on the trip this year", RiskLevel::None),
    ("I don't want to live in London", RiskLevel::None),
    ("I don't want to wake up early tomorrow", RiskLevel::None),
    ("I want to give up sugar", RiskLevel::None),
    ("I don't want to live like this", RiskLevel::Medium),
    ("I took my pills this morning", RiskLevel::None),
    (
        "we're going to kill them at the game tonight",
        RiskLevel::None,
    ),
    ("I'm going to end it with him", RiskLevel::None),
    ("what's the point of meditation", RiskLevel::None),
    ("this coupon is worthless", RiskLevel::None),
    // Third person and discussion.
    ("a novel about suicide prevention", RiskLevel::Medium),
    (
        "we watched a documentary on suicide in class",
        RiskLevel::Medium,
    ),
    ("the guy in the film wants to end it all", RiskLevel::Medium),
    ("my friend is suicidal, what should I do", RiskLevel::Medium),
    // Negations.
    ("I don't want to die, I want to live fully", RiskLevel::Low),
    ("I would never hurt myself", RiskLevel::Low),
    ("I'm not suicidal, just tired", RiskLevel::Low),
    ("I have no thoughts of suicide", RiskLevel::Low),
    ("I'm not going to kill myself", RiskLevel::Low),
    ("I'm not depressed", RiskLevel::None),
    // Everyday sleep, stress and meditation.
    ("I slept badly last night", RiskLevel::None),
    ("I want to sleep better", RiskLevel::None),
    ("meditation helps me relax before bed", RiskLevel::None),
    ("I usually wake up at 6", RiskLevel::None),
    ("breathing exercises calm me down", RiskLevel::None),
    ("I'm a bit stressed about exams", RiskLevel::Low),
    ("work has been busy but I'm managing", RiskLevel::None),
    ("can you guide me through a body scan", RiskLevel::None),
    // Review gaps: sleep details after "wake up".
    ("I don't want to wake up tired", RiskLevel::None),
    ("I don't want to wake up groggy", RiskLevel::None),
    ("I don't want to wake up during the night", RiskLevel::None),
    ("I don't want to wake up every hour", RiskLevel::None),
    ("I don't want to wake up anxious", RiskLevel::Low),
    ("help me sleep and not wake up at 3am", RiskLevel::None),
    (
        "I want to sleep and not wake up until morning",
        RiskLevel::None,
    ),
    ("sleep and not wake up during the night", RiskLevel::None),
    ("I don't want to wake up with a headache", RiskLevel::None),
    ("I don't want to wake up 3 times a night", RiskLevel::None),
    ("I don't want to wake up feeling exhausted", RiskLevel::None),
    ("I don't want to wake up too early", RiskLevel::None),
    ("I hope I don't wake up at 3am again", RiskLevel::None),
    (
        "I want to fall asleep and never wake up during the night",
        RiskLevel::None,
    ),
    (
        "how can I sleep and not wake up in the middle of the night",
        RiskLevel::None,
    ),
    ("I want to sleep and not wake up until 7", RiskLevel::None),
    // Review gaps: self-care and work idioms.
    ("I need to cut myself some slack", RiskLevel::None),
    (
        "I want to cut myself off from social media",
        RiskLevel::None,
    ),
    ("I'm going to burn myself out", RiskLevel::None),
    ("I want to cut myself a break", RiskLevel::None),
    ("I'm trying not to burn myself out", RiskLevel::None),
    (
        "I'm going to cut myself off from caffeine after 2pm",
        RiskLevel::None,
    ),
    ("I'm killing myself with this workload", RiskLevel::None),
    ("I'm killing myself with work", RiskLevel::None),
    ("I'm killing myself with these long hours", RiskLevel::None),
    ("I've been killing myself with overtime", RiskLevel::None),
    ("stop killing myself for my job", RiskLevel::None),
    ("I'm killing myself to meet this deadline", RiskLevel::None),
    ("I'd rather die than go to that meeting", RiskLevel::None),
    ("I might as well die trying", RiskLevel::None),
    // Review gaps: benign continuations of the new intent phrases.
    ("I want to end it with him", RiskLevel::None),
    ("I want to end things on a good note", RiskLevel::None),
    ("I want to take my life back", RiskLevel::None),
    ("I want to take my life in a new direction", RiskLevel::None),
    ("I'm going to take all my pills with food", RiskLevel::None),
    (
        "I'm going to take all my meds with me on the trip",
        RiskLevel::None,
    ),
    ("I no longer want to live in London", RiskLevel::None),
    ("I want to stop living in the past", RiskLevel::None),
    ("I want to jump off a cliff into the sea", RiskLevel::None),
    (
        "everyone would be happier if I was gone for the weekend",
        RiskLevel::None,
    ),
    // Review gaps: grief about someone else's suicide.
    (
        "after the suicide of my friend I can't sleep",
        RiskLevel::Medium,
    ),
    ("grief after a suicide in my family", RiskLevel::Medium),
    ("the suicide of my brother", RiskLevel::Medium),
    ("the suicide of my best friend", RiskLevel::Medium),
    ("coping with the suicide of a loved one", RiskLevel::Medium),
    ("my dad's suicide last year still hurts", RiskLevel::Medium),
    ("since my uncle's suicide I can't sleep", RiskLevel::Medium),
    ("the anniversary of my sister's suicide", RiskLevel::Medium),
    ("I lost my mom to suicide", RiskLevel::Medium),
];

#[test]
fn risky_messages_reach_their_level() {
    let failures: Vec<String> = MUST_TRIGGER
        .iter()
        .filter_map(|&(text, min)| {
            let got = assess(text);
            (got.level < min).then(|| format!("{text:?}: want >= {min:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn everyday_messages_stay_below_their_cap() {
    let failures: Vec<String> = MUST_NOT_HOLD
        .iter()
        .filter_map(|&(text, max)| {
            let got = assess(text);
            (got.level > max || got.requires_hold())
                .then(|| format!("{text:?}: want <= {max:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tables_have_enough_rows() {
    assert!(MUST_TRIGGER.len() >= 30);
    assert!(MUST_NOT_HOLD.len() >= 30);
    assert!(MUST_NOT_HOLD.iter().all(|&(_, max)| max < RiskLevel::High));
}

#[test]
fn signals_name_the_matched_phrase() {
    let got = assess("I’m going to   KILL myself... tonight!");
    assert_eq!(got.level, RiskLevel::Critical);
    assert_eq!(got.category, Some(RiskCategory::Suicide));
    assert!(got.signals.contains(&"kill myself".to_string()), "{got:?}");
    assert!(got.signals.contains(&"tonight".to_string()), "{got:?}");
    assert!(got.requires_hold());

    let variant = assess("i wanna die");
    assert_eq!(variant.signals, vec!["want to die".to_string()]);
}

#[test]
fn category_follows_the_most_serious_signal() {
    assert_eq!(
        assess("I'm going to hurt someone").category,
        Some(RiskCategory::Violence)
    );
    assert_eq!(
        assess("I want to hurt myself").category,
        Some(RiskCategory::SelfHarm)
    );
    assert_eq!(
        assess("so stressed and I want to die").category,
        Some(RiskCategory::Suicide)
    );
    let calm = assess("lovely walk in the park");
    assert_eq!(calm.level, RiskLevel::None);
    assert_eq!(calm.category, None);
    assert!(calm.signals.is_empty());
    assert!(!calm.requires_hold());
}

#[test]
fn review_gaps_keep_their_category() {
    let cases = [
        (
            "I'm going to take all my pills tonight",
            RiskCategory::Suicide,
        ),
        ("I want to stab myself", RiskCategory::SelfHarm),
        ("I want to end things", RiskCategory::Suicide),
        ("I took an overdose", RiskCategory::Suicide),
    ];
    for (text, category) in cases {
        assert_eq!(assess(text).category, Some(category), "{text:?}");
    }
    assert_eq!(
        assess("I'm going to swallow all my pills").level,
        RiskLevel::Critical
    );
    let grief = assess("the suicide of my brother");
    assert_eq!(grief.signals, vec!["about others: suicide".to_string()]);
}

#[test]
fn topic_words_stay_high_when_the_speaker_owns_them() {
    for text in [
        "I feel suicidal in my family",
        "I'm suicidal",
        "thoughts of suicide in my head",
    ] {
        assert!(assess(text).requires_hold(), "{text:?}");
    }
}

#[test]
fn number_alternatives_match_digits_only() {
    let set = compile_all(&["wake up !#/early"]);
    let probe = |text: &str| find_hits(&tokenize(text), &set).len();
    assert_eq!(probe("wake up 3 times"), 0);
    assert_eq!(probe("wake up early"), 0);
    assert_eq!(probe("wake up three times"), 1);
    let until = compile_all(&["until+# am/pm"]);
    let hits = find_hits(&tokenize("until 7 am"), &until);
    assert_eq!(
        hits.first().map(|hit| hit.phrase.as_str()),
        Some("until 7 am")
    );
}

#[test]
fn patterns_are_tried_where_they_can_start() {
    // Indexed by first word, loose spellings included; optional or guard-only first
    // slots index the words after them; numbers anywhere.
    let set = compile_all(&[
        "kill myself",
        "_/really want+to die",
        "!not end it",
        "# pills",
    ]);
    assert!(set.candidates("kill").contains(&0));
    assert!(!set.candidates("die").contains(&0));
    assert!(set.candidates("really").contains(&1) && set.candidates("want").contains(&1));
    assert!(set.candidates("end").contains(&2));
    assert!(set.candidates("anything").contains(&3));
    for (short, full) in LOOSE_SPELLINGS {
        let set = compile_all(&[full]);
        if !set.patterns.is_empty() {
            assert!(!set.candidates(short).is_empty(), "{short} -> {full}");
        }
    }
    // Optional first slots match from each word they may start at.
    assert_eq!(find_hits(&tokenize("i really want to die"), &set).len(), 2);
    assert_eq!(find_hits(&tokenize("took 20 pills"), &set).len(), 1);
}

#[test]
fn the_index_finds_what_trying_every_pattern_finds() {
    let everywhere = |phrases: &[&str]| {
        let mut set = compile_all(phrases);
        set.anywhere = (0..set.patterns.len()).collect();
        set.by_first.clear();
        set
    };
    let sentences = [
        "I want to kill myself tonight",
        "i dont want 2 be here anymore, u know",
        "I have been thinking about ending it all with the pills",
        "I can't sleep and wake up 3 times every night",
        "help me let go of stress after work",
        "my friend said she wanted to die but I don't feel that way",
        "I'm going to hurt myself after the exam on friday",
        "no one would miss me if i was gone",
    ];
    let mut hits = 0;
    for phrases in [SAFE_PHRASES, TIME_MARKERS, MEANS_MARKERS]
        .into_iter()
        .chain(GROUPS.iter().map(|group| group.phrases))
    {
        let (indexed, all) = (compile_all(phrases), everywhere(phrases));
        for text in sentences {
            let tokens = tokenize(text);
            let found = |set| {
                find_hits(&tokens, set)
                    .into_iter()
                    .map(|hit| (hit.start, hit.end, hit.phrase))
                    .collect::<Vec<_>>()
            };
            let expected = found(&all);
            hits += expected.len();
            assert_eq!(found(&indexed), expected, "{text}");
        }
    }
    assert!(hits >= 10, "the sentences should match something: {hits}");
}

#[test]
fn negated_signals_are_reported_as_such() {
    let got = assess("I don't want to die");
    assert_eq!(got.level, RiskLevel::Low);
    assert_eq!(got.signals, vec!["negated: want to die".to_string()]);
}

#[test]
fn every_table_phrase_compiles() {
    let tables =
        GROUPS
            .iter()
            .map(|group| group.phrases)
            .chain([SAFE_PHRASES, TIME_MARKERS, MEANS_MARKERS]);
    for phrase in tables.flatten() {
        assert!(
            compile(phrase).is_some(),
            "phrase never matches: {phrase:?}"
        );
    }
}

#[test]
fn only_the_first_max_chars_are_read() {
    let padded = format!("{}I want to die", "a ".repeat(MAX_CHARS));
    assert_eq!(assess(&padded).level, RiskLevel::None);
    let early = format!("I want to die {}", "a ".repeat(MAX_CHARS));
    assert_eq!(assess(&early).level, RiskLevel::High);
}

#[test]
fn never_panics_on_odd_input() {
    let huge_risk = "kill myself ".repeat(200_000);
    let huge_letters = "a".repeat(1_000_000);
    let huge_apostrophes = "'".repeat(100_000);
    let inputs: Vec<&str> = vec![
        "",
        " ",
        "\0\u{1}\u{7}\u{1b}[31m",
        "\u{200b}\u{200e}\u{202e}\u{feff}",
        "😭😭😭💀🔪",
        "我想死",
        "أريد أن أموت",
        "хочу умереть",
        "İSTANBUL ǅ ß ﬁ",
        "e\u{301}\u{301}\u{301}",
        "!!!???...,,,;;;",
        "# $ ! _ / +",
        "2 2 2 2 2",
        "self",
        "my",
        "un",
        &huge_risk,
        &huge_letters,
        &huge_apostrophes,
    ];
    for input in inputs {
        let got = assess(input);
        assert!(got.signals.len() <= MAX_SIGNALS);
    }
    assert!(assess(&huge_risk).requires_hold());
}
