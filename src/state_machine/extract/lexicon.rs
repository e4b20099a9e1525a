//! The word lists of the offline extractor.

use super::{IntentWords, Polarity, Strength, words};
use crate::domain::{Pace, Tone};
use crate::state_machine::slots::{Intent, TimeOfDay, VoiceStyle};

/// Phrases naming what the practice is for. "calm" itself lives in [`TONE_OR_INTENT`].
#[rustfmt::skip]
pub(super) const INTENT_LEXICON: &[IntentWords] = &[
    words(Intent::Sleep, Strength::Strong, Polarity::Goal, &[
        "sleep", "sleeping", "asleep", "fall asleep", "falling asleep", "stay asleep",
        "sleep better", "sleep well", "better sleep", "deep sleep", "sleep through the night",
        "drift off", "doze off", "nod off", "go to sleep", "get to sleep",
        "good night's sleep", "restful", "rested", "well rested",
    ]),
    words(Intent::Sleep, Strength::Strong, Polarity::Problem, &[
        "insomnia", "insomniac", "sleepless", "sleeplessness", "can't sleep", "cannot sleep",
        "couldn't sleep", "can't fall asleep", "trouble sleeping", "unable to sleep",
        "lie awake", "lying awake", "wide awake", "keep waking up", "toss and turn",
        "tossing and turning", "poor sleep", "bad sleep",
    ]),
    words(Intent::Sleep, Strength::Weak, Polarity::Goal, &["rest", "nap", "power nap"]),
    words(Intent::Calm, Strength::Weak, Polarity::Goal, &[
        "calmness", "calm down", "calm my mind", "calm myself", "relax", "relaxation", "peace",
        "inner peace", "peace of mind", "unwind", "unwinding", "wind down", "winding down",
        "settle my mind", "quiet my mind", "quieten my mind", "still my mind", "clear my head",
        "clear my mind", "tranquility", "tranquillity", "serenity", "chill", "chill out",
        "breathe", "breathing", "slow down", "at ease", "center myself", "centre myself",
        "ground myself", "mindful", "mindfulness", "stillness", "soothe", "zen",
    ]),
    words(Intent::Calm, Strength::Weak, Polarity::Problem, &[
        "restless", "agitated", "angry", "anger", "frustrated", "frustration", "irritable",
    ]),
    words(Intent::Anxiety, Strength::Strong, Polarity::Problem, &[
        "anxious", "anxiety", "anxieties", "panic", "panicking", "panicky", "panic attack",
        "panic attacks", "nervous", "nerves", "nervousness", "worried", "worry", "worrying",
        "worries", "worrier", "racing thoughts", "racing mind", "mind races", "mind is racing",
        "overthinking", "overthink", "on edge", "uneasy", "fear", "fears", "fearful", "afraid",
        "scared", "dread", "dreading", "jittery", "jitters", "restless mind",
        "can't stop thinking", "spiraling", "spiralling", "catastrophizing", "butterflies",
        "apprehensive", "tight chest",
    ]),
    words(Intent::Anxiety, Strength::Weak, Polarity::Goal, &["feel safe", "feel secure"]),
    words(Intent::Stress, Strength::Strong, Polarity::Problem, &[
        "stress", "stressed", "stressed out", "stressful", "overwhelmed", "overwhelm",
        "overwhelming", "burned out", "burnt out", "burnout", "burn out", "under pressure",
        "pressure", "tense", "tension", "frazzled", "swamped", "too much on my plate",
        "hectic", "overworked", "strained", "at my limit", "snowed under",
    ]),
    words(Intent::Stress, Strength::Strong, Polarity::Goal, &[
        "de-stress", "destress", "decompress", "let off steam",
    ]),
    words(Intent::Focus, Strength::Strong, Polarity::Goal, &[
        "focus", "focused", "focussed", "focusing", "concentrate", "concentrating",
        "concentration", "deep work", "get things done", "productive", "productivity",
        "clarity", "mental clarity", "clear headed", "attention", "in the zone", "flow state",
        "stay on task",
    ]),
    words(Intent::Focus, Strength::Strong, Polarity::Problem, &[
        "distracted", "distraction", "distractions", "scattered", "brain fog", "foggy",
        "can't think straight",
    ]),
    words(Intent::Focus, Strength::Weak, Polarity::Goal, &[
        "study", "studying", "exam", "exams", "homework", "revision", "work session",
    ]),
    words(Intent::Confidence, Strength::Strong, Polarity::Goal, &[
        "confidence", "confident", "self-esteem", "believe in myself", "self-belief",
        "courage", "courageous", "brave", "braver", "bold", "assertive", "stand up for myself",
        "speak up", "trust myself", "empowered",
    ]),
    words(Intent::Confidence, Strength::Strong, Polarity::Problem, &[
        "self-doubt", "doubt myself", "imposter syndrome", "impostor syndrome", "insecure",
        "insecurity", "insecurities", "shy", "shyness",
    ]),
    words(Intent::Confidence, Strength::Weak, Polarity::Goal, &[
        "job interview", "interview", "presentation", "public speaking", "speech", "pitch",
        "audition", "first date", "performance", "competition", "big meeting",
    ]),
    words(Intent::Gratitude, Strength::Strong, Polarity::Goal, &[
        "gratitude", "grateful", "gratefulness", "thankful", "thankfulness", "appreciate",
        "appreciation", "appreciative", "count my blessings", "blessings", "blessed",
        "give thanks",
    ]),
    words(Intent::Gratitude, Strength::Strong, Polarity::Problem, &[
        "take things for granted", "taking things for granted", "ungrateful",
    ]),
    words(Intent::Energy, Strength::Strong, Polarity::Goal, &[
        "energy", "energized", "energised", "energize", "energise", "wake up properly",
        "feel alive", "vitality", "vibrant", "revitalize", "revitalise", "recharge",
        "recharged", "invigorated", "refreshed", "pick me up", "pick-me-up", "boost",
        "wake me up", "help me wake up", "get up and go", "zest",
    ]),
    words(Intent::Energy, Strength::Strong, Polarity::Problem, &[
        "tired all the time", "always tired", "low energy", "fatigue", "fatigued", "sluggish",
        "lethargic", "drained",
    ]),
    words(Intent::Energy, Strength::Weak, Polarity::Problem, &[
        "tired", "exhausted", "sleepy", "worn out",
    ]),
    words(Intent::SelfLove, Strength::Strong, Polarity::Goal, &[
        "love myself", "loving myself", "self-love", "self-compassion", "self-acceptance",
        "accept myself", "accepting myself", "be kinder to myself", "kinder to myself",
        "kind to myself", "gentle with myself", "gentler with myself", "gentle on myself",
        "self-worth", "worthy", "i am enough", "i'm enough", "like myself", "body image",
        "body positivity", "self-care", "care for myself", "take care of myself",
        "forgive myself",
    ]),
    words(Intent::SelfLove, Strength::Strong, Polarity::Problem, &[
        "hate myself", "self-hate", "self-hatred", "self-critical", "inner critic",
        "hard on myself", "not good enough", "worthless", "ashamed", "shame",
    ]),
    words(Intent::Healing, Strength::Strong, Polarity::Goal, &[
        "heal", "healing", "recover", "recovery", "recovering",
    ]),
    words(Intent::Healing, Strength::Strong, Polarity::Problem, &[
        "heartbreak", "heartbroken", "broken heart", "breakup", "break up", "broke up",
        "divorce", "trauma", "traumatic", "ptsd", "abuse", "betrayal", "betrayed", "hurt",
        "hurting", "emotional pain", "wounds",
    ]),
    words(Intent::Healing, Strength::Weak, Polarity::Goal, &[
        "let go", "letting go", "move on", "moving on", "forgive", "forgiveness", "get over",
    ]),
    words(Intent::Healing, Strength::Weak, Polarity::Problem, &[
        "pain", "chronic pain", "illness", "surgery", "injury", "sick",
    ]),
    words(Intent::Motivation, Strength::Strong, Polarity::Goal, &[
        "motivation", "motivated", "get going", "get started", "get moving",
        "stick to my goals", "stick to my habits", "stick to it", "achieve my goals",
        "reach my goals", "self-discipline", "discipline", "push myself", "keep going",
        "follow through", "stay on track", "take action", "ambition", "ambitious",
    ]),
    words(Intent::Motivation, Strength::Strong, Polarity::Problem, &[
        "procrastinate", "procrastinating", "procrastination", "unmotivated", "demotivated",
        "lazy", "stuck in a rut", "in a rut", "can't get started", "putting things off",
        "put things off",
    ]),
    words(Intent::Motivation, Strength::Weak, Polarity::Goal, &["goals", "habits"]),
    words(Intent::Grief, Strength::Strong, Polarity::Problem, &[
        "grief", "grieve", "grieving", "mourning", "mourn", "bereavement", "bereaved",
        "passed away", "passing of", "died", "death of", "rest in peace", "funeral", "widow",
        "widowed", "widower", "miscarriage", "loss of", "lost my mom", "lost my mum",
        "lost my mother", "lost my dad", "lost my father", "lost my parents",
        "lost my husband", "lost my wife", "lost my partner", "lost my son",
        "lost my daughter", "lost my child", "lost my baby", "lost my brother",
        "lost my sister", "lost my grandma", "lost my grandmother", "lost my grandpa",
        "lost my grandfather", "lost my best friend", "lost my friend", "lost my dog",
        "lost my cat", "lost my pet",
    ]),
    words(Intent::Grief, Strength::Weak, Polarity::Problem, &[
        "loss", "death", "miss him", "miss her", "miss them",
    ]),
];

/// Fixed phrases that state both what the practice is for and when.
pub(super) const INTENT_AT_TIME: &[(&str, Intent, TimeOfDay)] = &[
    ("wind down for bed", Intent::Sleep, TimeOfDay::Night),
    ("wind down before bed", Intent::Sleep, TimeOfDay::Night),
    ("get ready for bed", Intent::Sleep, TimeOfDay::Night),
    ("ready for bed", Intent::Sleep, TimeOfDay::Night),
    ("afternoon slump", Intent::Energy, TimeOfDay::Afternoon),
];

#[rustfmt::skip]
pub(super) const TIME_LEXICON: &[(TimeOfDay, &[&str])] = &[
    (TimeOfDay::Morning, &[
        "morning", "mornings", "in the morning", "every morning", "early morning",
        "morning routine", "when i wake up", "when i wake", "after i wake up",
        "as soon as i wake up", "once i wake up", "upon waking", "on waking", "after waking",
        "after waking up", "when i get up", "first thing", "first thing in the morning",
        "sunrise", "dawn", "daybreak", "breakfast", "start my day", "start the day",
        "start of my day", "start of the day",
    ]),
    (TimeOfDay::Midday, &[
        "midday", "mid-day", "noon", "noontime", "lunch", "lunchtime", "lunch time",
        "lunch break", "middle of the day", "during lunch", "at lunch",
    ]),
    (TimeOfDay::Afternoon, &[
        "afternoon", "afternoons", "in the afternoon", "after lunch", "post lunch",
        "mid-afternoon",
    ]),
    (TimeOfDay::Evening, &[
        "evening", "evenings", "in the evening", "this evening", "after work", "after school",
        "after dinner", "sunset", "dusk", "end of the day", "end of my day",
        "end of the workday", "when i get home", "after my shift", "commute home",
    ]),
    (TimeOfDay::Night, &[
        "night", "nights", "at night", "nighttime", "night time", "every night",
        "late at night", "late night", "tonight", "nightly", "midnight", "middle of the night",
        "before bed", "before going to bed", "before i go to bed", "when i go to bed",
        "go to bed", "going to bed", "in bed", "bedtime", "bed time", "before sleep",
        "before sleeping", "before i sleep", "before going to sleep", "before i go to sleep",
        "when i go to sleep",
    ]),
    (TimeOfDay::Anytime, &[
        "anytime", "any time", "whenever", "any time of day", "any time of the day",
        "at any time", "throughout the day", "whenever i need it",
    ]),
];

/// Phrases that name a voice outright.
#[rustfmt::skip]
pub(super) const VOICE_LEXICON: &[(VoiceStyle, &[&str])] = &[
    (VoiceStyle::Female, &[
        "female voice", "woman's voice", "women's voice", "lady's voice", "by a woman",
        "by a female", "by a lady",
    ]),
    (VoiceStyle::Male, &[
        "male voice", "man's voice", "men's voice", "deep male voice", "by a man", "by a male",
        "by a guy",
    ]),
    (VoiceStyle::Neutral, &[
        "neutral voice", "gender neutral", "gender-neutral voice", "non-binary voice",
        "androgynous voice",
    ]),
];

/// Words that are about a voice only next to a voice noun or when the voice was asked
/// ("I'm a woman" says nothing about the voice).
#[rustfmt::skip]
pub(super) const GENDER_WORDS: &[(VoiceStyle, &[&str])] = &[
    (VoiceStyle::Female, &[
        "female", "woman", "woman's", "women's", "lady", "lady's", "girl", "girl's", "feminine",
    ]),
    (VoiceStyle::Male, &[
        "male", "man", "man's", "men's", "guy", "guy's", "masculine", "gentleman",
    ]),
    (VoiceStyle::Neutral, &["androgynous", "non-binary", "nonbinary"]),
];

/// Nouns that make a nearby "calm"/"female" describe the guide's voice.
#[rustfmt::skip]
pub(super) const VOICE_NOUNS: &[&str] = &[
    "voice", "voices", "voiced", "narrator", "narration", "narrated", "speaker", "spoken",
    "reader", "guide", "tone", "delivery", "way", "manner", "style", "sound", "sounding", "vibe",
    "accent",
];

#[rustfmt::skip]
pub(super) const PACE_LEXICON: &[(Pace, &[&str])] = &[
    (Pace::Slower, &[
        "slow pace", "slower pace", "slow paced", "take it slow", "take it slowly",
        "nice and slow", "unhurried", "unrushed", "leisurely", "relaxed pace", "gentle pace",
        "calm pace", "easy pace", "not too fast", "not so fast", "not rushed", "don't rush",
        "speak slowly", "talk slowly", "slow it down", "lots of pauses", "long pauses",
        "plenty of pauses",
    ]),
    (Pace::Moderate, &[
        "moderate", "moderately", "moderate pace", "medium pace", "medium speed",
        "normal pace", "normal speed", "regular pace", "regular speed", "average pace",
        "steady pace", "natural pace", "conversational pace", "not too slow",
        "neither slow nor fast",
    ]),
    (Pace::Faster, &[
        "fast pace", "faster pace", "fast paced", "quick pace", "quicker pace", "brisk",
        "briskly", "brisk pace", "upbeat pace", "upbeat tempo", "up tempo", "uptempo",
        "speed it up", "pick up the pace", "speak quickly", "talk quickly", "speak faster",
        "talk faster", "energetic pace", "lively pace", "snappy",
    ]),
];

/// Speed words that also describe a goal ("fall asleep fast"): see [`SPEED_GOAL_WORDS`].
pub(super) const SPEED_WORDS: &[(Pace, &[&str])] = &[
    (Pace::Slower, &["slow", "slowly", "slower"]),
    (Pace::Faster, &["fast", "faster"]),
];

/// Next to these, a speed word is about reaching a goal, not about the voice.
#[rustfmt::skip]
pub(super) const SPEED_GOAL_WORDS: &[&str] = &[
    "asleep", "sleep", "sleeping", "relax", "relaxing", "calm", "heal", "healing", "recover",
    "recovering", "down", "improve", "better", "energy", "wake", "waking", "enough",
];

/// Words that are a pace only as an answer to the pace question: "a quick 5 minute meditation"
/// is about length.
#[rustfmt::skip]
pub(super) const PACE_IF_ASKED: &[(Pace, &[&str])] = &[
    (Pace::Faster, &["quick", "quicker", "quickly", "speedy"]),
    (Pace::Moderate, &[
        "normal", "medium", "regular", "average", "in between", "in the middle", "middle",
        "steady",
    ]),
];

#[rustfmt::skip]
pub(super) const TONE_LEXICON: &[(Tone, &[&str])] = &[
    (Tone::Warm, &[
        "warm", "warmly", "warmth", "warm-hearted", "caring", "friendly", "cozy", "cosy",
        "heartfelt", "nurturing", "compassionate", "kind voice", "kind tone", "loving voice",
        "loving tone",
    ]),
    (Tone::Gentle, &[
        "gentle", "gently", "gentler", "soft", "softly", "softer", "soft spoken", "tender",
        "tenderly", "delicate", "whisper", "whispering", "whispery", "hushed",
    ]),
    (Tone::Calm, &["soothing", "soothingly", "calmly", "serenely", "mellow"]),
    (Tone::Uplifting, &[
        "uplifting", "upbeat", "cheerful", "cheery", "motivating", "motivational", "inspiring",
        "inspirational", "encouraging", "empowering", "optimistic", "joyful", "joyous",
        "bubbly", "enthusiastic", "lively",
    ]),
    (Tone::Grounding, &[
        "grounding", "grounded", "earthy", "rooted", "steady", "centered", "centred",
        "anchored", "anchoring", "down to earth",
    ]),
    (Tone::Neutral, &[
        "neutral tone", "plain", "matter-of-fact", "straightforward", "straight forward",
        "factual", "no-nonsense", "no frills",
    ]),
];

/// Words that are a tone of voice or a goal depending on the words around them.
#[rustfmt::skip]
pub(super) const TONE_OR_INTENT: &[(&str, Tone, Intent, Strength)] = &[
    ("calm", Tone::Calm, Intent::Calm, Strength::Weak),
    ("calmer", Tone::Calm, Intent::Calm, Strength::Weak),
    ("calming", Tone::Calm, Intent::Calm, Strength::Weak),
    ("peaceful", Tone::Calm, Intent::Calm, Strength::Weak),
    ("relaxed", Tone::Calm, Intent::Calm, Strength::Weak),
    ("relaxing", Tone::Calm, Intent::Calm, Strength::Weak),
    ("serene", Tone::Calm, Intent::Calm, Strength::Weak),
    ("tranquil", Tone::Calm, Intent::Calm, Strength::Weak),
    ("quiet", Tone::Gentle, Intent::Calm, Strength::Weak),
    ("energetic", Tone::Uplifting, Intent::Energy, Strength::Strong),
    ("energizing", Tone::Uplifting, Intent::Energy, Strength::Strong),
    ("energising", Tone::Uplifting, Intent::Energy, Strength::Strong),
];

/// Before a "calm"-like word these make it the person's state ("feel calm"), not a tone.
pub(super) const FEELING_VERBS: &[&str] = &[
    "feel", "feeling", "be", "being", "stay", "staying", "become", "becoming", "keep", "remain",
    "am", "i'm",
];

/// Skipped when looking for a feeling verb: "feel a bit more calm".
#[rustfmt::skip]
pub(super) const INTENSIFIERS: &[&str] = &[
    "more", "really", "so", "very", "bit", "a", "little", "lot", "truly", "totally", "completely",
    "fully", "much", "super", "less",
];

/// "No preference" answers: an anytime only to the time question, otherwise nothing.
#[rustfmt::skip]
pub(super) const NO_PREFERENCE: &[&str] = &[
    "either", "any", "whatever", "doesn't matter", "does not matter", "don't mind", "do not mind",
    "don't care", "no preference", "flexible",
];

/// Small talk that looks like a slot ("good morning", "appreciate it", "no worries").
#[rustfmt::skip]
pub(super) const SMALL_TALK: &[&str] = &[
    "good morning", "good afternoon", "good evening", "good night", "goodnight", "good day",
    "last night", "the other night", "yesterday", "thank you", "thanks", "appreciate it",
    "appreciate that", "appreciate this", "appreciate you", "appreciate your help",
    "appreciate the help", "no worries", "don't worry", "not to worry", "take care", "rest of",
    "weight loss", "hair loss", "sleep on it", "have a nice day", "have a good day",
];

pub(super) const NEGATORS: &[&str] = &[
    "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't",
    "won't", "without", "nothing", "neither", "nor", "none",
];

/// Words that end the reach of a negation: "not anxious, but I want to focus".
pub(super) const NEGATION_BREAKERS: &[&str] = &[
    "but", "however", "though", "although", "instead", "just", "and", "so", "i", "i'm", "i've",
    "i'd", "rather",
];

/// Between a negator and a word, these make it the topic being refused: "not about sleep".
#[rustfmt::skip]
pub(super) const TOPIC_MARKERS: &[&str] = &[
    "about", "for", "want", "wanna", "need", "needing", "interested", "looking", "related", "help",
];

/// With a feeling verb after a negator these state a wish to be rid of something:
/// "don't want to feel anxious".
pub(super) const DESIRE_VERBS: &[&str] = &["want", "wanna", "need", "like", "trying"];

/// Characters that end a clause: phrases never span them and negation stops at them.
pub(super) const CLAUSE_MARKS: &[char] = &[
    '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '\n', '\r', '\u{2013}', '\u{2014}',
    '\u{2026}', '"', '\u{201c}', '\u{201d}',
];

/// Typographic apostrophes, read as `'` so "can’t" is "can't".
pub(super) const APOSTROPHES: &[char] = &['\'', '\u{2019}', '\u{2018}', '\u{02bc}', '`', '\u{b4}'];

#[rustfmt::skip]
pub(super) const NUMBER_WORDS: &[(&str, u32)] = &[
    ("zero", 0), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6),
    ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12),
    ("thirteen", 13), ("fourteen", 14), ("fifteen", 15), ("sixteen", 16), ("seventeen", 17),
    ("eighteen", 18), ("nineteen", 19), ("twenty", 20), ("thirty", 30), ("forty", 40),
    ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80), ("ninety", 90),
];

/// Quantity words read after "a": "a couple of minutes", "a quarter of an hour".
pub(super) const COUNT_WORDS: &[(&str, f64)] = &[
    ("couple", 2.0),
    ("few", 3.0),
    ("dozen", 12.0),
    ("half", 0.5),
    ("quarter", 0.25),
    ("hundred", 100.0),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Second,
    Minute,
    Hour,
}

#[rustfmt::skip]
pub(super) const UNITS: &[(&str, Unit)] = &[
    ("second", Unit::Second), ("seconds", Unit::Second), ("sec", Unit::Second),
    ("secs", Unit::Second), ("minute", Unit::Minute), ("minutes", Unit::Minute),
    ("min", Unit::Minute), ("mins", Unit::Minute), ("m", Unit::Minute), ("hour", Unit::Hour),
    ("hours", Unit::Hour), ("hr", Unit::Hour), ("hrs", Unit::Hour), ("h", Unit::Hour),
];

/// Words around a bare number answer to the duration question: "about 20", "ten please".
#[rustfmt::skip]
pub(super) const BARE_NUMBER_FILLERS: &[&str] = &[
    "about", "around", "approximately", "approx", "roughly", "maybe", "perhaps", "probably",
    "like", "um", "umm", "uh", "hmm", "say", "let's", "just", "only", "ok", "okay", "so", "well",
    "oh", "i", "i'd", "think", "guess", "go", "with", "make", "it", "do", "max", "maximum", "up",
    "to", "under", "less", "than", "no", "more", "at", "most", "least", "how", "what", "yeah",
    "yes", "sure", "please",
];
pub(super) const BARE_NUMBER_FOLLOWERS: &[&str] = &[
    "please", "thanks", "is", "sounds", "should", "would", "will", "works", "and", "with", "or",
    "so", "ish", "max", "tops", "at", "be", "fine", "good", "great", "perfect", "ok", "okay", "i",
    "is",
];

/// How sure a lead-in is that a name follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameRule {
    /// "I'm", "it's" also introduce states ("I'm tired", "it's late"): every word must be
    /// capitalised and not a lexicon word.
    Capitalised,
    /// "my name is sam please": the first word as typed, later ones capitalised.
    FirstAsTyped,
    /// The answer to the name question: every word as typed.
    AsTyped,
}

#[rustfmt::skip]
pub(super) const NAME_INTROS: &[(&str, NameRule)] = &[
    ("my name is", NameRule::FirstAsTyped),
    ("name's", NameRule::FirstAsTyped),
    ("call me", NameRule::FirstAsTyped),
    ("i go by", NameRule::FirstAsTyped),
    ("i'm", NameRule::Capitalised),
    ("i am", NameRule::Capitalised),
    ("this is", NameRule::Capitalised),
    ("it's", NameRule::Capitalised),
    ("it is", NameRule::Capitalised),
];

/// Words that are never a name, whatever their case: states, fillers, refusals, days.
#[rustfmt::skip]
pub(super) const NOT_NAMES: &[&str] = &[
    "a", "an", "the", "so", "very", "really", "just", "not", "here", "there", "back", "in", "on",
    "at", "from", "with", "about", "also", "still", "always", "never", "currently", "kind", "sort",
    "pretty", "quite", "bit", "little", "new", "ready", "sure", "sorry", "done", "fine", "good",
    "great", "ok", "okay", "alright", "well", "better", "worse", "bad", "tired", "sad", "happy",
    "excited", "lonely", "mad", "upset", "depressed", "confused", "curious", "interested", "lost",
    "stuck", "busy", "free", "awake", "struggling", "trying", "looking", "feeling", "going",
    "getting", "doing", "having", "working", "hoping", "wondering", "thinking", "planning",
    "wanting", "needing", "learning", "ill", "unwell", "hungry", "cold", "hot", "late", "early",
    "home", "fed", "over", "up", "down", "out", "off", "all", "too", "such", "that", "this", "it",
    "me", "you", "him", "her", "them", "us", "one", "yes", "no", "nope", "yeah", "hi", "hello",
    "hey", "thanks", "please", "skip", "pass", "none", "nothing", "rather", "prefer", "anonymous",
    "idk", "i", "i'm", "i'd", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "today", "tomorrow", "what", "who", "why", "how", "when", "where", "which", "and",
    "or", "but", "if", "because", "myself", "mom", "mum", "dad", "parent", "student", "married",
    "single", "pregnant", "retired", "divorced", "alone", "glad", "proud", "embarrassed", "broke",
    "weak", "strong", "hopeless", "hopeful", "numb", "empty", "hard", "easy", "difficult",
    "complicated", "tough", "rough", "weird", "been", "enough", "loved", "safe", "capable",
    "beautiful", "whole", "powerful", "light", "present", "open", "allowed", "deserving",
    "healthy", "healed", "unstoppable", "love", "calm", "either", "any", "whatever", "neutral",
    "meh", "lucky", "nice", "cool", "fun", "name", "my", "your", "true", "false", "real",
    "serious", "kidding", "joking", "later", "sometime", "maybe", "anything", "something", "crazy",
    "silly", "old", "young", "french", "german", "english", "british", "american", "spanish",
    "italian", "canadian", "australian", "irish", "scottish", "welsh", "indian", "chinese",
    "japanese", "korean", "mexican", "brazilian", "dutch", "swedish", "polish", "russian",
    "african", "european", "asian",
];

/// Fillers around a short reply (the name or context answer): "just Sam, thanks".
pub(super) const REPLY_FILLERS: &[&str] = &[
    "hi", "hello", "hey", "just", "please", "thanks", "thank", "you", "ok", "okay", "oh", "um",
    "umm", "uh", "hmm", "well", "sure", "yes", "yeah", "sorry", "honestly", "i", "i'd", "thx",
    "ty", "my", "name",
];

/// Answers to the context question that decline it.
#[rustfmt::skip]
pub(super) const REFUSALS: &[&str] = &[
    "skip", "skip it", "skip this", "skip that", "skip this one", "let's skip", "let's skip it",
    "next", "pass", "no", "nope", "nah", "none", "nothing", "nothing really", "nothing much",
    "nothing special", "nothing in particular", "nothing to add", "nothing to say", "not really",
    "no not really", "rather not", "rather not say", "would rather not", "would rather not say",
    "prefer not", "prefer not to say", "not now", "no comment", "no thanks", "don't want to say",
    "don't want to talk about it", "not sure", "don't know", "no idea", "n a", "na", "i'm good",
    "i'm fine", "all good", "move on", "let's move on", "not important", "doesn't matter",
    "never mind", "nevermind",
];
