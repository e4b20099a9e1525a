//! General phrase tables shared by every practice: greetings and farewells by tone,
//! arrivals by time of day, posture, breath, body scan, resting silence and closings.
//! Intent-specific lines live in `intents.rs`, imagined places in `scenes.rs`.
//!
//! Placeholders the writer fills: `{phrase}` (the intent, "easing anxiety"), `{quality}`
//! ("steadiness"), `{minutes}` ("ten minutes"), `{noun}`, `{part}` ("day", "evening"),
//! `{name}`. Every line is a complete sentence so it can be checked for repetition.

use super::{TimeOfDay, Tone};

const WELCOME_WARM: &[&str] = &[
    "Welcome. I'm so glad you've taken this time for yourself.",
    "Hello, and welcome. It's good to have you here.",
    "Welcome in. Thank you for making a little room for yourself.",
];
const WELCOME_GENTLE: &[&str] = &[
    "Hello. Let's begin softly, with nothing to prove and nowhere to rush.",
    "Welcome. You can arrive here just as you are.",
    "Hello, and welcome. There's nothing you need to get right here.",
];
const WELCOME_CALM: &[&str] = &[
    "Welcome. Let's begin slowly.",
    "Welcome. Take a moment to simply arrive.",
    "Hello. Let's start by slowing everything down a little.",
];
const WELCOME_UPLIFTING: &[&str] = &[
    "Welcome! You showed up for yourself, and that already matters.",
    "Hello and welcome. This is time you've chosen for yourself, and it's a good choice.",
    "Welcome. Let's make these minutes count, in the kindest way.",
];
const WELCOME_GROUNDING: &[&str] = &[
    "Welcome. Let's begin right here, right where you are.",
    "Welcome. Feel yourself arriving in this place and this moment.",
    "Hello. Let's start by coming back to the ground beneath you.",
];
const WELCOME_NEUTRAL: &[&str] = &[
    "Welcome to this practice.",
    "Hello, and welcome.",
    "Welcome. Let's begin.",
];

pub(super) fn welcome(tone: Tone) -> &'static [&'static str] {
    match tone {
        Tone::Warm => WELCOME_WARM,
        Tone::Gentle => WELCOME_GENTLE,
        Tone::Calm => WELCOME_CALM,
        Tone::Uplifting => WELCOME_UPLIFTING,
        Tone::Grounding => WELCOME_GROUNDING,
        Tone::Neutral => WELCOME_NEUTRAL,
    }
}

const ENCOURAGE_WARM: &[&str] = &[
    "You're doing really well.",
    "There's no wrong way to do this.",
    "Be kind to yourself here.",
    "Whatever you're feeling is welcome.",
];
const ENCOURAGE_GENTLE: &[&str] = &[
    "Go easy with yourself.",
    "Whatever you notice is okay.",
    "There's no hurry at all.",
    "Softly, softly; there's nowhere else to be.",
];
const ENCOURAGE_CALM: &[&str] = &[
    "Nothing needs to change right now.",
    "Let things be as they are.",
    "Everything can slow down.",
    "There's plenty of time.",
];
const ENCOURAGE_UPLIFTING: &[&str] = &[
    "You're doing great.",
    "Notice how capable you already are.",
    "Every breath is a fresh start.",
    "Enjoy this; it's time well spent.",
];
const ENCOURAGE_GROUNDING: &[&str] = &[
    "You are here, and you are supported.",
    "Feel how solidly you are held.",
    "Come back to the ground whenever you need to.",
    "Steady and present, just like this.",
];
const ENCOURAGE_NEUTRAL: &[&str] = &[
    "Simply continue.",
    "Just notice, without judging.",
    "That's all there is to do.",
    "Keep following the breath.",
];

pub(super) fn encourage(tone: Tone) -> &'static [&'static str] {
    match tone {
        Tone::Warm => ENCOURAGE_WARM,
        Tone::Gentle => ENCOURAGE_GENTLE,
        Tone::Calm => ENCOURAGE_CALM,
        Tone::Uplifting => ENCOURAGE_UPLIFTING,
        Tone::Grounding => ENCOURAGE_GROUNDING,
        Tone::Neutral => ENCOURAGE_NEUTRAL,
    }
}

const FAREWELL_WARM: &[&str] = &[
    "Thank you for giving yourself this time.",
    "Take good care of yourself.",
    "Go gently, and be kind to yourself.",
];
const FAREWELL_GENTLE: &[&str] = &[
    "Move softly into whatever comes next.",
    "Carry this gentleness with you.",
    "Take your time, and go easy.",
];
const FAREWELL_CALM: &[&str] = &[
    "Let this stillness travel with you.",
    "Move on slowly, when you're ready.",
    "Take this quiet with you.",
];
const FAREWELL_UPLIFTING: &[&str] = &[
    "You have everything you need for what's ahead.",
    "Go and enjoy what comes next.",
    "Well done for showing up for yourself.",
];
const FAREWELL_GROUNDING: &[&str] = &[
    "Stay close to the ground beneath you as you go.",
    "Take this steadiness with you, one step at a time.",
    "Feel your feet, and carry on from here.",
];
const FAREWELL_NEUTRAL: &[&str] = &[
    "This practice is now complete.",
    "Thank you for practicing.",
    "That brings this practice to a close.",
];

pub(super) fn farewell(tone: Tone) -> &'static [&'static str] {
    match tone {
        Tone::Warm => FAREWELL_WARM,
        Tone::Gentle => FAREWELL_GENTLE,
        Tone::Calm => FAREWELL_CALM,
        Tone::Uplifting => FAREWELL_UPLIFTING,
        Tone::Grounding => FAREWELL_GROUNDING,
        Tone::Neutral => FAREWELL_NEUTRAL,
    }
}

pub(super) const NAME_GREET: &[&str] = &[
    "{name}, this time is just for you.",
    "{name}, thank you for being here.",
    "{name}, let's begin.",
];
pub(super) const NAME_FAREWELL: &[&str] = &[
    "Take good care, {name}.",
    "Be well, {name}.",
    "Until next time, {name}.",
];
pub(super) const NAME_SLEEP: &[&str] = &["Good night, {name}.", "Sleep well, {name}."];

const ARRIVAL_MORNING: &[&str] = &[
    "The day is just beginning, and you've chosen to begin it here.",
    "Before the day asks anything of you, these moments are yours.",
    "This morning is a fresh page, and these quiet minutes belong to you.",
];
const ARRIVAL_MIDDAY: &[&str] = &[
    "You're in the middle of your day, and you've found a small pocket of quiet.",
    "Halfway through the day, it's worth pausing to come back to yourself.",
    "Let the first half of the day rest for a moment, before the second half begins.",
];
const ARRIVAL_AFTERNOON: &[&str] = &[
    "The afternoon has its own momentum, and for a few minutes you can step outside it.",
    "As the afternoon moves along, let this be a pause just for you.",
    "Much of the day is behind you now, and you can set some of it down.",
];
const ARRIVAL_EVENING: &[&str] = &[
    "The day is winding down, and you can begin to wind down with it.",
    "Evening has arrived, and whatever the day held, it's mostly done now.",
    "As the light of the day fades, let your attention turn inward.",
];
const ARRIVAL_NIGHT: &[&str] = &[
    "The night is quiet now, and there's nowhere else you need to be.",
    "The day is over, and this is a time simply to rest.",
    "The world is settling into the night, and you can settle with it.",
];
const ARRIVAL_ANYTIME: &[&str] = &[
    "Wherever you are in your day, this moment belongs to you.",
    "Whatever came before this, you can set it aside for a little while.",
    "For these few minutes, there's nothing else you need to attend to.",
];

pub(super) fn arrival(time: TimeOfDay) -> &'static [&'static str] {
    match time {
        TimeOfDay::Morning => ARRIVAL_MORNING,
        TimeOfDay::Midday => ARRIVAL_MIDDAY,
        TimeOfDay::Afternoon => ARRIVAL_AFTERNOON,
        TimeOfDay::Evening => ARRIVAL_EVENING,
        TimeOfDay::Night => ARRIVAL_NIGHT,
        TimeOfDay::Anytime => ARRIVAL_ANYTIME,
    }
}

pub(super) const PURPOSE: &[&str] = &[
    "For the next {minutes}, this time is for {phrase}.",
    "Over the next {minutes}, we'll turn gently toward {phrase}.",
    "Let the next {minutes} be set aside for {phrase}.",
];

pub(super) const POSTURE_SEATED: &[&str] = &[
    "Find a comfortable seat, with your feet resting on the floor and your spine tall but easy.",
    "Sit in a way that feels both alert and relaxed, your hands resting in your lap.",
    "Settle into your seat, letting your back be upright and your shoulders soft.",
];
pub(super) const POSTURE_EVENING: &[&str] = &[
    "Find a comfortable position, seated or reclining, whichever lets your body soften most.",
    "Sit back or lie down, and let whatever is beneath you take your weight.",
    "Settle into a position you can stay in for a while, supported and at ease.",
];
pub(super) const POSTURE_LYING: &[&str] = &[
    "Lie down in the position you usually sleep in, and let the bed hold your full weight.",
    "Settle onto your back or your side, and let your head sink into the pillow.",
    "Make yourself comfortable in bed, adjusting anything that needs adjusting, so you can stay still for a while.",
];

pub(super) const EYES: &[&str] = &[
    "If it feels right, close your eyes, or let your gaze rest softly on the floor in front of you.",
    "Let your eyes close, or simply lower your gaze.",
    "You can close your eyes now, or keep them half open and unfocused.",
];
pub(super) const EYES_SLEEP: &[&str] = &[
    "Let your eyes close, and let them stay closed.",
    "Let your eyelids grow heavy and fall closed.",
];

pub(super) const SETTLE: &[&str] = &[
    "Notice the sounds around you, near and far, and let them become part of the background.",
    "Let your hands rest, heavy and still.",
    "Let your face soften, especially around the eyes and the mouth.",
    "If anything is still on your mind, imagine setting it down beside you for now.",
    "There's nothing to get right here. Just follow along as best you can.",
    "Let yourself arrive fully, here, in this body and this breath.",
];

pub(super) const BREATH_INTRO: &[&str] = &[
    "Now bring your attention to your breath, just as it is.",
    "Let's begin with the breath.",
    "Turn your attention toward your breathing, without needing to change it.",
    "Gently notice your breath, coming in and going out.",
];
pub(super) const BREATH_IN: &[&str] = &[
    "Breathe in slowly through your nose,",
    "Take a slow breath in,",
    "Draw the breath in gently,",
    "Inhale, letting your belly rise,",
    "Let a full breath come in,",
    "Breathe in deeply,",
];
pub(super) const BREATH_OUT: &[&str] = &[
    "and let it go slowly through your mouth.",
    "and breathe out, a little longer than you breathed in.",
    "and exhale, letting your shoulders drop.",
    "and release it with a soft sigh.",
    "and let the breath leave you all on its own.",
    "and breathe out slowly, emptying all the way.",
    "pause for a moment at the top, and then let it go.",
];
pub(super) const BREATH_NOTICE: &[&str] = &[
    "Notice where you feel the breath most clearly: the nose, the chest, or the belly.",
    "Feel the small pause at the top of the in-breath, and the small pause at the bottom of the out-breath.",
    "There's no need to control anything now. Let the breath find its own rhythm.",
    "Notice the air is a little cooler as it comes in, and a little warmer as it leaves.",
    "Feel the gentle rise and fall of your belly.",
    "Let each breath be a little slower than the one before, without forcing it.",
    "If your mind wanders, that's fine. Simply come back to the next breath.",
    "Breathing in, know that you are breathing in. Breathing out, know that you are breathing out.",
    "Follow one breath all the way in and all the way out, as if it were the only breath there is.",
    "Feel the breath moving your ribs, at the front, the sides and the back.",
];
pub(super) const BREATH_COUNT: &[&str] = &[
    "For the next few breaths, silently count each out-breath, from one up to five, and then begin again.",
    "Let's count breaths for a while in silence: in, and out is one; in, and out is two; continue on your own up to ten.",
];
pub(super) const BREATH_RETURN: &[&str] = &[
    "Now let the breath return to its own natural rhythm.",
    "Let go of any counting or control, and let the body breathe itself.",
    "Release the breath back to its natural pace.",
];

pub(super) const BODY_INTRO_SEATED: &[&str] = &[
    "Now feel the places where your body is supported: your feet on the floor, and your seat beneath you.",
    "Bring your attention to the contact between your body and whatever is holding it up.",
];
pub(super) const BODY_INTRO_LYING: &[&str] = &[
    "Now feel the whole length of your body, resting where you lie.",
    "Notice all the places where your body is held, and let them grow heavy.",
];
pub(super) const BODY_INTRO_AWAKE: &[&str] = &[
    "Now feel your feet firmly on the ground, and the length of your spine rising up from your seat.",
    "Let's bring some attention to the body, starting from the ground and moving upward.",
];

/// One place the body scan visits: how to arrive there, and how to soften or wake it.
pub(super) struct Region {
    pub attend: &'static [&'static str],
    pub relax: &'static [&'static str],
    pub awaken: &'static [&'static str],
}

/// From the top of the head down; an energizing scan walks it in reverse.
pub(super) const REGIONS: &[Region] = &[
    Region {
        attend: &[
            "Bring your attention to your forehead.",
            "Notice your forehead, and the space between your eyebrows.",
        ],
        relax: &[
            "Let it smooth out, as if a warm hand were resting there.",
            "Let any crease there soften and melt away.",
        ],
        awaken: &["Let it feel open and clear."],
    },
    Region {
        attend: &[
            "Now notice your eyes and the small muscles around them.",
            "Let your attention rest on your eyes and eyelids.",
        ],
        relax: &[
            "Let them grow heavy and still, resting back in their sockets.",
            "Let the tiny muscles around your eyes let go.",
        ],
        awaken: &["Let your eyes feel bright, even behind closed lids."],
    },
    Region {
        attend: &[
            "Bring your attention to your jaw.",
            "Become aware of your jaw, your lips, and your tongue.",
        ],
        relax: &[
            "Let your teeth part slightly and your tongue rest softly in your mouth.",
            "Let your jaw loosen and hang a little heavier.",
        ],
        awaken: &["Let a hint of a smile arrive at the corners of your mouth."],
    },
    Region {
        attend: &[
            "Now move to your neck and throat.",
            "Let your awareness settle at the back of your neck.",
        ],
        relax: &[
            "Let your head be fully supported, so your neck has nothing to hold.",
            "Let your throat feel open and soft.",
        ],
        awaken: &["Let your neck lengthen, as if your head were floating upward."],
    },
    Region {
        attend: &[
            "Now notice your shoulders.",
            "Turn your attention to your shoulders, and where they're sitting right now.",
        ],
        relax: &[
            "Let them drop a little, away from your ears.",
            "Let them grow heavy, as if they were melting downward.",
        ],
        awaken: &["Roll them back gently, and let your chest open."],
    },
    Region {
        attend: &[
            "Let your attention travel down your arms, through your elbows and forearms, to your hands.",
            "Become aware of your arms, from the shoulders all the way to your fingertips.",
        ],
        relax: &[
            "Let your hands lie loose and heavy, fingers gently curled.",
            "Let your arms rest, heavy and warm, with nothing to hold.",
        ],
        awaken: &["Notice the tingle of life in your hands."],
    },
    Region {
        attend: &[
            "Now notice your chest, rising and falling.",
            "Move your attention to your chest and the area around your heart.",
        ],
        relax: &[
            "Let it soften with each out-breath.",
            "Let the space around your heart feel wide and easy.",
        ],
        awaken: &["Let each breath lift your chest a little, like a sail filling with wind."],
    },
    Region {
        attend: &[
            "Move your attention to your upper back, between your shoulder blades.",
            "Now sense your upper back and the area between your shoulder blades.",
        ],
        relax: &[
            "Let that area spread and widen, releasing any holding.",
            "Imagine the breath moving gently into that space, loosening it.",
        ],
        awaken: &["Feel how it supports you, strong and upright."],
    },
    Region {
        attend: &[
            "Now bring your attention to your belly.",
            "Let your awareness rest on your belly, gently rising and falling with the breath.",
        ],
        relax: &[
            "Let it be soft, with nothing to hold in.",
            "Let it round freely with each in-breath and settle with each out-breath.",
        ],
        awaken: &["Feel the warmth and strength at your center."],
    },
    Region {
        attend: &[
            "Notice your lower back and your hips.",
            "Turn your attention to your lower back, your hips and your seat.",
        ],
        relax: &[
            "Let them sink down and be held.",
            "Let any tightness there begin to loosen, just a little.",
        ],
        awaken: &["Feel how stable and grounded your base is."],
    },
    Region {
        attend: &[
            "Now let your attention move through your thighs, your knees and your calves.",
            "Become aware of your legs, from your hips to your ankles.",
        ],
        relax: &[
            "Let them grow heavy and completely still.",
            "Let the muscles of your legs release, one after another.",
        ],
        awaken: &["Feel the strength in your legs, ready to carry you."],
    },
    Region {
        attend: &[
            "Bring your attention to your feet.",
            "Now notice your feet: your heels, your soles, and each of your toes.",
        ],
        relax: &[
            "Let them rest, heavy and warm.",
            "Let them soften, as if the last of the day's tension were draining out through your soles.",
        ],
        awaken: &["Press them gently into the ground, and feel it press back."],
    },
];

pub(super) const RELEASE_HEADS: &[&str] = &[
    "Breathe gently into that place,",
    "Let your next out-breath travel there,",
    "Imagine warmth spreading through that area,",
    "Give that area permission to rest,",
];
pub(super) const RELEASE_TAILS: &[&str] = &[
    "and let it grow a little heavier.",
    "and let go of anything it no longer needs to hold.",
    "noticing whatever is there without needing to fix it.",
    "and let it be exactly as it is.",
];
pub(super) const AWAKEN_HEADS: &[&str] = &[
    "Breathe into that place,",
    "Let your next in-breath travel there,",
    "Imagine a little light gathering there,",
];
pub(super) const AWAKEN_TAILS: &[&str] = &[
    "and let it feel alive.",
    "and notice the energy there.",
    "and let it wake up a little.",
];
pub(super) const WHOLE_BODY_RELAX: &[&str] = &[
    "Now feel your whole body at once, from the top of your head to the soles of your feet, resting here.",
    "Let your whole body be still now, soft and supported.",
    "Sense your body as one whole, quiet and at ease.",
];
pub(super) const WHOLE_BODY_AWAKE: &[&str] = &[
    "Now feel your whole body at once, awake, upright and alive.",
    "Sense your body as one whole, steady and ready.",
];

pub(super) const REST_INTRO: &[&str] = &[
    "Now let go of any images, and simply rest.",
    "Let everything else fall away now, and rest here in the quiet.",
    "For a little while now, there's nothing to follow. Simply rest.",
];
pub(super) const SLEEP_REST_INTRO: &[&str] = &[
    "Now let go of everything, and simply let yourself sink.",
    "There's nothing more to follow now. Let yourself drift.",
    "Let the pictures fade, and let the quiet take over.",
];
pub(super) const REST_OPENERS: &[&str] = &[
    "If your attention has wandered,",
    "Whenever you notice a thought pulling you away,",
    "Should your mind drift into planning or remembering,",
    "If you find yourself lost in thought,",
    "When you realize you've drifted,",
    "If sounds or sensations call for attention,",
];
pub(super) const REST_RETURNS: &[&str] = &[
    "simply notice where it went, and come back to the breath.",
    "let that be okay, and return to the feeling of your body resting.",
    "gently come back to this moment.",
    "there's nothing to fix; just begin again.",
    "let the thought pass like a cloud, and rest once more.",
    "come home to the rise and fall of the breath.",
];
pub(super) const SLEEP_OPENERS: &[&str] = &[
    "If a thought comes,",
    "Whenever the mind stirs,",
    "If you notice yourself planning or remembering,",
    "Should a sound reach you,",
];
pub(super) const SLEEP_RETURNS: &[&str] = &[
    "let it drift by, and sink back into the softness beneath you.",
    "there's no need to follow it; let your breath carry you lower.",
    "let it dissolve, like a word in a half-remembered dream.",
    "let it go, and feel your body grow a little heavier.",
];
pub(super) const REST_LINES: &[&str] = &[
    "Rest here now, in the quiet.",
    "Simply be here, with nothing to do.",
    "Let the silence hold you for a while.",
    "There's nothing to achieve here, nothing to improve.",
    "Let this stillness deepen on its own.",
    "Stay with the stillness a little longer.",
    "Let each breath arrive and leave on its own.",
    "Notice the quiet that's underneath every sound.",
    "Let your awareness be wide and soft, like the sky.",
    "Just this breath, and then the next one.",
];
pub(super) const SLEEP_LINES: &[&str] = &[
    "Let your arms and legs grow warm and loose.",
    "There's nothing you need to do now.",
    "Sink a little deeper with every out-breath.",
    "Let your thoughts slow down and grow soft around the edges.",
    "The bed is holding you completely.",
    "Let the night take care of everything.",
    "Each breath is slower and softer than the last.",
    "You can let go completely now.",
    "Drifting, floating, sinking down.",
    "Let sleep come whenever it's ready.",
];

pub(super) const INTEGRATE_NOTICE: &[&str] = &[
    "Now, slowly, begin to notice how you feel.",
    "Take a moment to notice any change in your body or your mind since you began.",
    "Notice how you feel right now, without needing to name it exactly.",
];
pub(super) const INTEGRATE_QUALITY: &[&str] = &[
    "Notice whatever {quality} is here, even if it's only a little.",
    "Let yourself recognize the {quality} you've touched, and know that it's yours.",
];
pub(super) const INTEGRATE_MOVE: &[&str] = &[
    "Begin to deepen your breath.",
    "Gently wiggle your fingers and toes.",
    "If your body wants to stretch, let it stretch.",
    "Let the sounds of the room around you come back into your awareness.",
];
pub(super) const SLEEP_FADE: &[&str] = &[
    "There's no need to come back from here.",
    "Let your body stay heavy, and your mind stay soft.",
    "You don't have to do anything at all now.",
    "Let the quiet carry you.",
];

const WAKE_MORNING: &[&str] = &[
    "When you're ready, open your eyes, and let the morning come in.",
    "Slowly open your eyes, and bring this feeling into the start of your day.",
];
const WAKE_MIDDAY: &[&str] = &[
    "When you're ready, open your eyes and return to the middle of your day, a little clearer.",
    "Open your eyes gently, and take in the room around you before you carry on.",
];
const WAKE_AFTERNOON: &[&str] = &[
    "When you're ready, open your eyes and let the rest of the afternoon unfold.",
    "Slowly open your eyes, and carry this pause with you into the afternoon.",
];
const WAKE_EVENING: &[&str] = &[
    "When you're ready, open your eyes, and let the evening continue gently.",
    "Slowly open your eyes, and move into your evening at an easy pace.",
];
const WAKE_NIGHT: &[&str] = &[
    "If you're heading to sleep, you can simply stay here and let yourself drift. Otherwise, open your eyes slowly when you're ready.",
    "Let your eyes stay closed if sleep is near, or open them gently when you're ready.",
];
const WAKE_ANYTIME: &[&str] = &[
    "When you're ready, open your eyes, and take in the space around you.",
    "Gently open your eyes, and return to your day at your own pace.",
];

/// The last spoken instruction of a meditation that is not for sleep.
pub(super) fn wake(time: TimeOfDay) -> &'static [&'static str] {
    match time {
        TimeOfDay::Morning => WAKE_MORNING,
        TimeOfDay::Midday => WAKE_MIDDAY,
        TimeOfDay::Afternoon => WAKE_AFTERNOON,
        TimeOfDay::Evening => WAKE_EVENING,
        TimeOfDay::Night => WAKE_NIGHT,
        TimeOfDay::Anytime => WAKE_ANYTIME,
    }
}

pub(super) const SLEEP_CLOSE: &[&str] = &[
    "There's nothing left to do now but rest.",
    "Let sleep come in its own time, and let yourself drift.",
    "Let yourself drift now, into deep and easy rest.",
];
pub(super) const SLEEP_GOODNIGHT: &[&str] = &["Good night.", "Sleep well.", "Rest well."];

pub(super) const AFFIRM_PURPOSE: &[&str] = &[
    "These affirmations are for {phrase}.",
    "This short practice is for {phrase}.",
    "The words you'll hear are for {phrase}.",
];
pub(super) const AFFIRM_INVITE: &[&str] = &[
    "Repeat each one after me, aloud or silently.",
    "After each statement there's a short pause for you to repeat it, aloud or in your mind.",
    "Say each line back in your own voice, out loud or quietly inside.",
];
pub(super) const AFFIRM_INVITE_SHORT: &[&str] = &[
    "Repeat each line after me.",
    "Say each one back to me.",
    "Repeat after me.",
];
pub(super) const AFFIRM_SETTLE: &[&str] = &[
    "Take one slow breath in, and let it go.",
    "Let your shoulders settle and your breath slow down a little.",
    "Let each statement land, even if part of you isn't sure yet.",
    "You don't need to believe every word right away; simply let the words in.",
];
pub(super) const AFFIRM_REFLECT: &[&str] = &[
    "Let those words settle in.",
    "Feel where they land in your body.",
    "Say it once more, silently, a little more slowly.",
    "Notice any part of you that resists, and let it be there too.",
    "Breathe that in.",
    "Let it be a little more true with this breath.",
    "You don't have to believe it completely. Just let it in.",
    "Let the words sink beneath the surface.",
    "Stay with that for a breath or two.",
    "Feel the meaning, not just the words.",
    "Let that one rest in your chest.",
    "Imagine those words written somewhere you'll see them every day.",
    "Notice how it feels to say that about yourself.",
    "Let it echo quietly.",
    "Give it a moment to land.",
    "Breathe out, and let it settle deeper.",
    "Let your body hear that too.",
    "Hold that thought gently, like something precious.",
    "Let the words find a home in you.",
    "Say it again in your own voice, inside.",
    "Feel your shoulders soften as you take that in.",
    "Let that be enough for this moment.",
    "See if you can say it as if you already know it's true.",
    "Let a small smile come, if it wants to.",
    "Take a slow breath with those words.",
    "Let it sink in, past the thinking mind.",
    "Pause with that.",
    "Let it be simple and true.",
    "Imagine someone who cares about you saying it to you.",
    "Notice what changes, even slightly, when you say it.",
];
pub(super) const AFFIRM_ECHO: &[&str] = &["Remember, {statement}", "And above all, {statement}"];
pub(super) const AFFIRM_CLOSE: &[&str] = &[
    "Let these words stay with you.",
    "Come back to these words whenever you need them.",
    "Carry one of these statements with you, whichever one felt most true.",
    "These words are yours now, to return to anytime.",
];

pub(super) const RITUAL_FRAME: &[&str] = &[
    "A ritual is simply a small, deliberate act of choosing who you want to be.",
    "This ritual is a way of marking this moment, and of meeting the rest of your {part} on purpose.",
    "For the next {minutes}, this ritual is about {phrase}.",
];
pub(super) const INTENTION_INTRO: &[&str] = &[
    "Now let's set an intention for this ritual.",
    "Every ritual begins with an intention.",
    "Bring to mind what you'd like this ritual to hold for you.",
];
pub(super) const CONTEXT_QUOTE: &[&str] = &[
    "You named what's on your mind: \"{context}\".",
    "In your own words: \"{context}\".",
    "You came here with this: \"{context}\".",
];
pub(super) const CONTEXT_FOLLOW: &[&str] = &[
    "Let that be here, without needing to solve it right now.",
    "Hold it gently, as you set your intention.",
    "Whatever it asks of you, you can meet it one step at a time.",
];
pub(super) const INTENTION_STATE: &[&str] = &[
    "Let your intention be this: to {intention}.",
    "Your intention for this ritual is to {intention}.",
    "Quietly set this intention: to {intention}.",
];
pub(super) const INTENTION_EXTRA: &[&str] = &[
    "Say it to yourself once more, in your own words.",
    "Notice how it feels to hold that intention.",
    "Let the intention settle somewhere in your body.",
];
/// Moving the intention from the mind into the body; any first few make sense alone.
pub(super) const EMBODY: &[&str] = &[
    "Now let your intention move from your mind into your body.",
    "Where in your body do you feel it? Perhaps the chest, the belly, or the hands.",
    "Imagine it as a warmth, gathering in that place.",
    "Let it spread outward from there, until your whole body is holding it.",
    "Feel it in your spine, your shoulders, and the way you hold your head.",
    "Let your posture change, ever so slightly, to match it.",
    "Notice how you would breathe if this intention were already true.",
    "Let your face take on the expression of someone living this intention.",
];
pub(super) const RITUAL_AFFIRM_INVITE: &[&str] = &[
    "Now speak these words as your own, aloud or silently.",
    "Now let's give your intention a voice. Repeat each line after me.",
    "Let these next words be a statement of who you are becoming. Repeat each one.",
];
pub(super) const SILENT_INTRO: &[&str] = &[
    "Now we'll hold a stretch of silent practice. Simply stay with your intention and your breath.",
    "In the silence that follows, let your intention rest quietly in the background, like a candle in the corner of a room.",
    "Now comes the quiet heart of this ritual. There's nothing to do but be here with your intention.",
];
pub(super) const SILENT_PROMPTS: &[&str] = &[
    "Let your intention repeat itself softly, in time with the breath.",
    "Hold your intention lightly, the way you might hold a small bird.",
    "Breathe in your intention; breathe out anything that gets in its way.",
    "Let the silence deepen around you.",
    "Notice how your body feels as you hold this intention.",
    "Let your intention become simpler, until it's just a feeling.",
    "Stay here, steady and quiet.",
    "Let the words fall away, and keep only the feeling behind them.",
    "Return to stillness, and rest here a while longer.",
    "Let your intention sink a little deeper with each out-breath.",
];
pub(super) const RITUAL_RETURNS: &[&str] = &[
    "come back to your intention, as if coming home.",
    "return to the feeling of your intention in the body.",
    "begin again with one slow breath and the words of your intention.",
];
pub(super) const RITUAL_INTEGRATE: &[&str] = &[
    "Now let the silence come to an end, and notice how you feel.",
    "Take a moment to appreciate yourself for making this time.",
    "Imagine your intention as a thread running through the rest of your {part}.",
    "Let your breath deepen, and begin to feel the space around you again.",
];
pub(super) const ACTION_INTRO: &[&str] = &[
    "Before you go, choose one small action to carry this ritual into your {part}.",
    "A ritual lives on in what you do next.",
    "Let's close with one small, concrete step.",
];
pub(super) const ACTION_AFTER: &[&str] = &[
    "Small as it is, it's a way of keeping your intention.",
    "Let that small act be the thread that ties you back to this moment.",
    "It doesn't need to be perfect. It only needs to be done.",
];

const FRAMING_MORNING: &[&str] = &[
    "Sometime today",
    "Before the day is out",
    "At some point today",
];
const FRAMING_DAYTIME: &[&str] = &[
    "In the hours ahead",
    "Before the day is done",
    "Later today",
];
const FRAMING_EVENING: &[&str] = &["This evening", "Before you sleep tonight", "Later tonight"];
const FRAMING_NIGHT: &[&str] = &["Before you sleep", "Tonight, before you settle"];

/// How the closing action is placed in time: "This evening, write down ...".
pub(super) fn action_framing(time: TimeOfDay) -> &'static [&'static str] {
    match time {
        TimeOfDay::Morning | TimeOfDay::Anytime => FRAMING_MORNING,
        TimeOfDay::Midday | TimeOfDay::Afternoon => FRAMING_DAYTIME,
        TimeOfDay::Evening => FRAMING_EVENING,
        TimeOfDay::Night => FRAMING_NIGHT,
    }
}
