//! What each intent brings to a script: its title words, affirmations, breath, imagery,
//! resting anchors, intentions and small actions. Lines are written for the voice:
//! plain words, no medical promises, every one a whole sentence.

use super::Intent;
use super::scenes::{CABIN, FOREST, GARDEN, LAKE, MEADOW, NIGHT_SKY, SHORE, Scene};

/// Everything intent-specific a practice can draw on.
pub(super) struct IntentText {
    /// Title cores; each carries a word of the intent so a title is recognizable.
    pub titles: &'static [&'static str],
    /// What the practice cultivates, as a noun ("steadiness").
    pub quality: &'static str,
    /// Energizing intents scan the body upward and wake it rather than soften it.
    pub energizing: bool,
    /// First-person statements, roughly from foundation to aspiration.
    pub affirmations: &'static [&'static str],
    /// "I am someone who ..." lines for a ritual's identity.
    pub identity: &'static [&'static str],
    pub breath: &'static [&'static str],
    /// Places to imagine; when empty, `imagery` is a guided sequence on its own.
    pub scenes: &'static [Scene],
    /// The visualization, as steps with alternatives. With a scene these are meanings to
    /// weave into it, each standing alone. Without one they are an arc in pairs: the even
    /// steps carry it on their own, each odd step deepens the one before and may be left
    /// out of a short practice.
    pub imagery: &'static [&'static [&'static str]],
    /// Anchors for resting silence.
    pub rest: &'static [&'static str],
    /// How to carry the practice onward.
    pub carry: &'static [&'static str],
    /// Second-person, fits "to {intention}".
    pub intentions: &'static [&'static str],
    /// Imperative, fits "Sometime today, {action}."
    pub day_actions: &'static [&'static str],
    pub evening_actions: &'static [&'static str],
}

pub(super) fn text(intent: Intent) -> &'static IntentText {
    match intent {
        Intent::Sleep => &SLEEP,
        Intent::Calm => &CALM,
        Intent::Anxiety => &ANXIETY,
        Intent::Stress => &STRESS,
        Intent::Focus => &FOCUS,
        Intent::Confidence => &CONFIDENCE,
        Intent::Gratitude => &GRATITUDE,
        Intent::Energy => &ENERGY,
        Intent::SelfLove => &SELF_LOVE,
        Intent::Healing => &HEALING,
        Intent::Motivation => &MOTIVATION,
        Intent::Grief => &GRIEF,
    }
}

const SLEEP: IntentText = IntentText {
    titles: &["Deep Rest", "Wind-Down", "Restful Sleep"],
    quality: "rest",
    energizing: false,
    affirmations: &[
        "I am safe, and I can rest now.",
        "I allow my body to grow heavy and still.",
        "I let go of today, knowing I did what I could.",
        "I release the need to solve anything tonight.",
        "I am allowed to rest without earning it.",
        "I can set my thoughts down until morning.",
        "I welcome sleep whenever it is ready to come.",
        "I allow my breath to slow and my body to soften.",
        "I am done for today, and that is enough.",
        "I allow my mind to quiet down, one thought at a time.",
        "I trust the night to hold me.",
        "I can let tomorrow take care of itself.",
        "I am warm, comfortable and at ease.",
        "I give myself permission to stop.",
        "I release the day with kindness.",
        "I am letting go of every effort.",
        "I allow my jaw, my shoulders and my hands to soften.",
        "I am at peace with what was done and what was left undone.",
        "I choose rest over worry.",
        "I can drift, and float, and let sleep find me.",
        "I deserve deep, easy rest.",
        "I am ready to rest.",
    ],
    identity: &[
        "I am someone who knows how to rest.",
        "I am someone who lets each day end gently.",
        "I am someone who treats rest as a kindness, not a reward.",
    ],
    breath: &[
        "Let each out-breath be a little slower and a little softer, as if the body were already asleep.",
        "With every breath out, feel yourself sinking a little deeper into the bed.",
    ],
    scenes: &[NIGHT_SKY, CABIN],
    imagery: &[
        &[
            "Let this place grow softer and dimmer, as if someone were slowly turning down the lights.",
            "Let the edges of this picture blur and soften, the way things do at the edge of sleep.",
        ],
        &[
            "Your body is heavy and warm, sinking a little deeper with every breath.",
            "Feel how heavy your arms and legs have become, warm and completely at rest.",
        ],
        &[
            "There's nothing you need to remember, and nothing you need to plan.",
            "Any lists or plans can wait on the other side of the night.",
        ],
        &[
            "Tomorrow will take care of itself; for now, there's only this soft, quiet place.",
            "The day is finished, and this quiet place is all there is for now.",
        ],
        &[
            "Let your thoughts grow slow and loose, like words in a dream.",
            "Thoughts may drift in and out, slow and half-formed, and that's just as it should be.",
        ],
        &[
            "Each breath carries you a little further down, toward deep and easy rest.",
            "Let yourself be carried, breath by breath, into deep and easy rest.",
        ],
    ],
    rest: &[
        "There's nothing you need to do to fall asleep; sleep comes in its own time.",
        "Each breath can carry you a little further from the day.",
        "If you're still awake, that's perfectly fine. Resting like this is restful too.",
    ],
    carry: &[
        "Let this heaviness and ease stay with you as you settle in for the night.",
        "Keep this softness with you as you move toward sleep.",
    ],
    intentions: &[
        "let go of the day and allow yourself to rest",
        "put down your thoughts until morning",
        "give your body and mind permission to stop",
    ],
    day_actions: &[
        "notice one moment when you can slow down, and let yourself do it",
        "choose a gentle time to start winding down this evening",
        "step outside for a few minutes of daylight",
    ],
    evening_actions: &[
        "put your phone out of reach for the last few minutes before bed",
        "write down anything still on your mind, so it can wait on the page until morning",
        "dim the lights a little earlier than usual",
    ],
};

const CALM: IntentText = IntentText {
    titles: &["Calm", "Quiet Calm", "Still Water"],
    quality: "calm",
    energizing: false,
    affirmations: &[
        "I am calm, and I am here.",
        "I can slow down, even when the world around me is fast.",
        "I allow my breath to be slow and easy.",
        "I meet this moment with patience.",
        "I am steady, like still water.",
        "I let things be as they are, for now.",
        "I can pause before I respond.",
        "I choose peace over hurry.",
        "I can find calm beneath the noise.",
        "I release what I cannot control.",
        "I am at ease in my body.",
        "I can return to calm whenever I need to.",
        "I allow my thoughts to settle, like sand in clear water.",
        "I am not in a rush.",
        "I am quiet inside, and clear.",
        "I trust myself to handle what comes, one thing at a time.",
        "I give myself room to breathe.",
        "I am grounded and unhurried.",
        "I let tension leave my body with every breath.",
        "I carry calm with me wherever I go.",
        "I am allowed to take my time.",
        "I am at peace in this breath.",
    ],
    identity: &[
        "I am someone who moves through the day with a steady heart.",
        "I am someone who can be still, even when things are busy.",
        "I am someone who chooses patience.",
    ],
    breath: &[
        "With each out-breath, let a little more stillness gather in you.",
        "Let the breath slow down on its own, and let the mind follow it.",
    ],
    scenes: &[LAKE, MEADOW, SHORE],
    imagery: &[
        &[
            "Let the stillness of this place seep into you, the way warmth seeps into cool hands.",
            "Let the quiet of this place become your quiet.",
        ],
        &[
            "Notice that nothing here is rushing, and so nothing in you needs to rush either.",
            "There's no hurry here, and there's no hurry in you.",
        ],
        &[
            "If a thought arrives, let it pass through this place like a bird crossing the sky.",
            "Thoughts may come and go, and the calm of this place stays.",
        ],
        &[
            "Calm isn't something you have to build; it's already here, beneath the noise.",
            "Feel calm not as something you have to make, but as something already here, underneath everything.",
        ],
        &[
            "With each breath, let the calm spread a little further, into your chest, your belly and your hands.",
            "Let this calm spread slowly through you, like ripples across still water.",
        ],
        &[
            "Rest here, part of this quiet scene, with nothing to do and nothing to fix.",
            "Stay a while in this place, calm and unhurried.",
        ],
    ],
    rest: &[
        "Let calm be something you rest in, rather than something you reach for.",
        "Simply rest in the stillness you've found.",
        "Let this quiet spread, all on its own.",
    ],
    carry: &[
        "Know that this calm is always here, just beneath the surface, one slow breath away.",
        "Take this stillness with you into whatever comes next.",
    ],
    intentions: &[
        "move through your {part} at a gentler pace",
        "meet what comes with patience and steadiness",
        "return to your breath whenever things feel hurried",
    ],
    day_actions: &[
        "take three slow breaths before you reply to your next message",
        "do one ordinary thing slowly and with full attention",
        "pause at a doorway and feel your feet on the ground before you walk through",
    ],
    evening_actions: &[
        "spend five quiet minutes without a screen",
        "make a warm drink and drink it slowly, doing nothing else",
        "take three slow breaths before you turn off the light",
    ],
};

const ANXIETY: IntentText = IntentText {
    titles: &["Steady Heart", "Safe Harbor", "Easing Anxiety"],
    quality: "steadiness",
    energizing: false,
    affirmations: &[
        "I am safe in this moment.",
        "I can feel anxious and still be okay.",
        "I allow these feelings to rise and pass.",
        "I am more than my anxious thoughts.",
        "I can take this one breath at a time.",
        "I don't have to believe every worried thought.",
        "I have handled hard moments before, and I can handle this one.",
        "I allow my body to soften.",
        "I am grounded, here and now.",
        "I can slow my breath, and let my body follow.",
        "I let go of what I cannot control.",
        "I am allowed to take up space, even when I feel unsure.",
        "I trust myself to cope with whatever comes.",
        "I can ask for help when I need it.",
        "I am learning to be gentle with my worried mind.",
        "I choose to focus on what is in front of me.",
        "I allow uncertainty to be here without fighting it.",
        "I am steady enough for this moment.",
        "I can feel my feet on the ground.",
        "I release the need to know everything in advance.",
        "I am doing the best I can, and that is enough.",
        "I give my worries a place to rest.",
    ],
    identity: &[
        "I am someone who can feel fear and still stay steady.",
        "I am someone who meets worry with kindness.",
        "I am someone who comes back to the present, again and again.",
    ],
    breath: &[
        "If your breath feels tight or quick, that's alright; let the out-breath be just a little longer than the in-breath.",
        "Breathe in for a count of four, and out for a count of six, letting the longer out-breath settle you.",
    ],
    scenes: &[SHORE, FOREST, LAKE],
    imagery: &[
        &[
            "In this place you are safe, and nothing needs your attention right now.",
            "Here, in this place, there's nothing you need to watch for.",
        ],
        &[
            "If a worry shows up, imagine placing it on the ground beside you, where you can pick it up later if you need to.",
            "If a worry appears, picture setting it down like a stone, and leaving it there for now.",
        ],
        &[
            "Notice that your body can feel a little nervous and still be safe at the same time.",
            "Any fluttering in your chest is allowed to be here; it doesn't mean anything is wrong.",
        ],
        &[
            "Let your breath follow the rhythm of this place, slow and steady.",
            "Let this place set the pace for your breath: unhurried, steady, easy.",
        ],
        &[
            "You don't have to solve anything here. You only have to be here.",
            "There's nothing to figure out in this place. Being here is enough.",
        ],
        &[
            "Feel how steady the ground is beneath you, and how it holds you without any effort.",
            "Notice the solid ground beneath you, holding you up, asking nothing in return.",
        ],
    ],
    rest: &[
        "You are safe right here. Let yourself rest in that.",
        "If worry returns, notice it kindly, and come back to the ground beneath you.",
        "Let the breath be your anchor, steady and always here.",
    ],
    carry: &[
        "Remember that you can return to this steadiness anytime, simply by feeling your feet and lengthening your out-breath.",
        "Whatever comes next, you can meet it one breath at a time.",
    ],
    intentions: &[
        "meet your worries with kindness instead of fear",
        "stay with what is real and present, one moment at a time",
        "remember that you are safe, even when you feel unsure",
    ],
    day_actions: &[
        "when worry shows up, name five things you can see around you",
        "feel your feet on the floor whenever you notice your breath getting quick",
        "reach out to someone who helps you feel steady",
    ],
    evening_actions: &[
        "write your worries down, and close the notebook on them for the night",
        "take a few minutes to breathe with a long, slow out-breath before bed",
        "name three things that went alright today, however small",
    ],
};

const STRESS: IntentText = IntentText {
    titles: &["Letting Go", "Unwind", "Stress Release"],
    quality: "ease",
    energizing: false,
    affirmations: &[
        "I release what is not mine to carry.",
        "I am allowed to pause.",
        "I can do one thing at a time.",
        "I let my shoulders drop and my jaw soften.",
        "I am more than my to-do list.",
        "I allow myself to rest without guilt.",
        "I can handle what is in front of me.",
        "I choose what matters, and I let the rest wait.",
        "I am doing enough.",
        "I let go of the pressure to be perfect.",
        "I can say no when I need to.",
        "I breathe out the tension of the day.",
        "I am capable, even when things are demanding.",
        "I allow space between one task and the next.",
        "I trust that not everything needs to happen today.",
        "I am calm beneath the busyness.",
        "I give myself permission to slow down.",
        "I can ask for support.",
        "I let the weight of the day slide off my shoulders.",
        "I am in charge of my own pace.",
        "I release the need to control every outcome.",
        "I am finding ease, even here.",
    ],
    identity: &[
        "I am someone who knows when to pause.",
        "I am someone who does what matters and lets the rest wait.",
        "I am someone who protects my own peace.",
    ],
    breath: &[
        "Breathe in deeply, and as you breathe out, let out a long, audible sigh.",
        "On the next out-breath, imagine the tension of the day leaving with the air.",
    ],
    scenes: &[FOREST, SHORE, MEADOW],
    imagery: &[
        &[
            "Imagine the weight of the day as a heavy pack on your back, and now slowly set it down.",
            "Picture each task and demand as a stone in your pockets, and let them drop, one at a time.",
        ],
        &[
            "Feel how much lighter you are, even if only for these few minutes.",
            "Notice the lightness that comes when you're no longer carrying it all.",
        ],
        &[
            "Let the sounds of this place wash through you and carry some of the tension away.",
            "Let this place soak up the tension, the way the ground soaks up rain.",
        ],
        &[
            "Nothing on your list can reach you here.",
            "The messages, the errands and the deadlines can all wait outside this place.",
        ],
        &[
            "With each out-breath, let your jaw, your shoulders and your hands loosen.",
            "Breathe out slowly, and feel the tightness in your body begin to unwind.",
        ],
        &[
            "You have done enough for now. Let that be true for a little while.",
            "For now, you don't owe anyone anything. Let yourself simply be here.",
        ],
    ],
    rest: &[
        "Let yourself be unproductive for a little while. It's allowed.",
        "There's nothing to finish here. Simply rest.",
        "Let each breath out take a little more of the day's weight with it.",
    ],
    carry: &[
        "Take this lightness with you, and notice when you start to tense up again.",
        "Remember you can set the weight down, even for a moment, whenever you need to.",
    ],
    intentions: &[
        "do one thing at a time, and let that be enough",
        "release what is not yours to carry",
        "protect a little space for yourself, even on a busy day",
    ],
    day_actions: &[
        "pick the one task that matters most and let the others wait their turn",
        "take a five-minute break away from your screen",
        "say no, or not yet, to one thing that can wait",
    ],
    evening_actions: &[
        "write tomorrow's top three tasks on paper so your mind can let them go",
        "stretch your shoulders and neck slowly for a minute or two",
        "do one small thing that is purely for enjoyment",
    ],
};

const FOCUS: IntentText = IntentText {
    titles: &["Clear Focus", "Clarity", "Focused Mind"],
    quality: "clarity",
    energizing: true,
    affirmations: &[
        "I am present and clear.",
        "I can give my full attention to one thing.",
        "I allow distractions to pass without following them.",
        "I return to my task, again and again, with patience.",
        "I am focused, steady and calm.",
        "I choose what deserves my attention.",
        "I can set aside what doesn't matter right now.",
        "I am fully here, in this moment.",
        "I trust my mind to settle.",
        "I work with clarity and purpose.",
        "I allow my thoughts to become quiet and clear.",
        "I can begin, even before I feel ready.",
        "I let one task at a time be enough.",
        "I am in charge of where my attention goes.",
        "I finish what I start, step by step.",
        "I can notice when I drift, and gently come back.",
        "I am sharp, calm and capable.",
        "I give my best attention to what matters most.",
        "I release the urge to do everything at once.",
        "I welcome deep, steady concentration.",
        "I have everything I need to focus right now.",
        "I am building focus, one moment at a time.",
    ],
    identity: &[
        "I am someone who gives my full attention to what matters.",
        "I am someone who returns, again and again, to the task in front of me.",
        "I am someone who works with a clear and steady mind.",
    ],
    breath: &[
        "Let each breath gather your attention into one place, right here.",
        "Breathe in and notice the breath; breathe out and notice the breath, with nothing else to attend to.",
    ],
    scenes: &[],
    imagery: &[
        &[
            "Now imagine your mind as a room that has become a little cluttered.",
            "Picture your thoughts as a busy desk, covered in papers and notes.",
        ],
        &[
            "Notice the half-finished thoughts, the reminders and the small worries lying about.",
            "Notice how many different things are competing for your attention.",
        ],
        &[
            "One by one, see yourself setting aside everything you don't need right now, until the space is clear and quiet.",
            "See yourself gathering up each loose thought and putting it away for later, until the surface is clear.",
        ],
        &[
            "Notice how much more room there is, and how much easier it is to breathe in here.",
            "Feel the quiet that comes with a clear space.",
        ],
        &[
            "Now place one single thing in the middle of that clear space: the task or question that matters most right now.",
            "Now let just one thing sit in the center of that space: the one thing that deserves your attention.",
        ],
        &[
            "See it clearly, as if a soft light were shining on it.",
            "Let everything else fade to the edges, while this one thing stays bright and clear.",
        ],
        &[
            "Imagine yourself giving that one thing your full attention, steady and unhurried, and simply turning back to it each time you drift.",
            "Picture yourself working on it with calm, steady attention, returning to it whenever your mind wanders.",
        ],
        &[
            "Returning is the skill: each time you drift and come back, your focus grows stronger.",
            "Rest for a moment in this clear, uncluttered mind.",
        ],
    ],
    rest: &[
        "Rest your attention lightly on the breath, and return each time it wanders.",
        "Let the mind become clear and still, like water settling.",
        "Every time you notice and return, you're strengthening your focus.",
    ],
    carry: &[
        "Carry this clarity into the next thing you do.",
        "When you begin your next task, bring this same steady attention to it.",
    ],
    intentions: &[
        "give your full attention to what matters most",
        "return, gently and often, to the task in front of you",
        "work with a clear mind, one step at a time",
    ],
    day_actions: &[
        "choose one task and give it twenty-five minutes of undivided attention",
        "silence your notifications for the next hour",
        "clear your workspace of everything except what you need",
    ],
    evening_actions: &[
        "choose tomorrow's single most important task and write it down",
        "tidy the space where you'll work tomorrow",
        "read a few pages of something, with no other distractions",
    ],
};

const CONFIDENCE: IntentText = IntentText {
    titles: &["Confidence", "Inner Strength", "Quiet Courage"],
    quality: "confidence",
    energizing: true,
    affirmations: &[
        "I am capable, and I trust myself.",
        "I can speak up, and my voice matters.",
        "I allow myself to be seen.",
        "I have strengths that I bring wherever I go.",
        "I am worthy of the space I take up.",
        "I can handle challenges as they come.",
        "I believe in my ability to learn and grow.",
        "I trust my own judgment.",
        "I am proud of how far I have come.",
        "I can feel nervous and act with courage anyway.",
        "I choose to back myself.",
        "I am enough, exactly as I am.",
        "I allow my confidence to grow with every step I take.",
        "I can walk into any room as myself.",
        "I release the need for everyone's approval.",
        "I stand tall and breathe deeply.",
        "I am ready for what comes next.",
        "I deserve good things, and I go after them.",
        "I can make mistakes and still be confident.",
        "I trust the strength I have built.",
        "I am becoming more sure of myself every day.",
        "I have something valuable to offer.",
    ],
    identity: &[
        "I am someone who trusts my own voice.",
        "I am someone who acts with courage, even when I feel unsure.",
        "I am someone who takes up the space I need.",
    ],
    breath: &[
        "Breathe in fully, letting your chest open and your spine lengthen.",
        "Take a breath that fills you completely, and feel yourself standing a little taller inside.",
    ],
    scenes: &[],
    imagery: &[
        &[
            "Now bring to mind a moment when you felt capable, even if it was small.",
            "Think of a time when you did something that took courage, however small it may seem now.",
        ],
        &[
            "Remember where you were, and what you could see and hear.",
            "Let the details come back: the place, the people, the way the air felt.",
        ],
        &[
            "Notice how you carried yourself then, how you stood and how you breathed, and let some of that feeling return now.",
            "Let the feeling of that moment rise in you again, here in your body.",
        ],
        &[
            "Notice where you feel it most: perhaps your chest, your shoulders, or your spine.",
            "Let it grow a little stronger with each breath.",
        ],
        &[
            "Now picture a situation coming up where you'd like to feel that same confidence, and see yourself walking in with your shoulders relaxed and your head up.",
            "Now imagine a moment ahead of you, and see yourself showing up with that same strength: feet on the ground, speaking clearly, taking your time.",
        ],
        &[
            "Notice the people around you, and how steady you remain as you speak.",
            "Watch yourself handle whatever comes, one moment at a time.",
        ],
        &[
            "You don't need to feel fearless. You only need to take the next step while still being yourself.",
            "Nerves may still be there, and that's alright; confidence can walk right alongside them.",
        ],
        &[
            "Feel that steadiness settle into your chest, your spine and your voice.",
            "Let that quiet strength settle into your posture, your breath and your voice.",
        ],
    ],
    rest: &[
        "Rest in the feeling of your own steadiness.",
        "Let that quiet strength stay with you as you rest.",
        "Nothing to prove here. Just rest in who you are.",
    ],
    carry: &[
        "Carry this steadiness in your posture and your voice.",
        "Remember this feeling the next time you need to step forward.",
    ],
    intentions: &[
        "trust your own voice and let it be heard",
        "take up the space you need",
        "act with courage, even before you feel ready",
    ],
    day_actions: &[
        "speak up once in a moment where you might usually stay quiet",
        "stand tall and take one deep breath before your next conversation",
        "do one thing you've been putting off because it felt a bit daunting",
    ],
    evening_actions: &[
        "write down one moment today when you showed courage",
        "note one thing you handled well today, and let yourself feel proud of it",
        "choose one brave thing you'll do tomorrow",
    ],
};

const GRATITUDE: IntentText = IntentText {
    titles: &["Gratitude", "Grateful Heart", "Thankful Moments"],
    quality: "gratitude",
    energizing: false,
    affirmations: &[
        "I am grateful for this breath, and the next.",
        "I can find something good in this day.",
        "I allow myself to notice what is going well.",
        "I am thankful for the people who care about me.",
        "I appreciate my body for carrying me through each day.",
        "I have enough, and I am enough.",
        "I can see beauty in small, ordinary things.",
        "I welcome joy in the little moments.",
        "I am grateful for the lessons hard times have taught me.",
        "I choose to notice what I have, not only what I lack.",
        "I can give thanks, even on difficult days.",
        "I allow gratitude to soften my heart.",
        "I am thankful for this moment of quiet.",
        "I appreciate the simple comforts around me.",
        "I am grateful for who I am becoming.",
        "I can share my gratitude with others.",
        "I let appreciation fill me up.",
        "I am thankful for the kindness I have received.",
        "I notice the gifts hidden in ordinary days.",
        "I am grateful to be here.",
        "I allow myself to receive good things.",
        "I carry a thankful heart with me.",
    ],
    identity: &[
        "I am someone who notices what is good.",
        "I am someone who says thank you, and means it.",
        "I am someone who finds something to appreciate, even on hard days.",
    ],
    breath: &[
        "With each in-breath, notice that this breath arrived without you having to ask for it.",
        "Breathe in, and let yourself appreciate the simple fact of being alive and breathing.",
    ],
    scenes: &[],
    imagery: &[
        &[
            "Now bring to mind something simple you're thankful for, perhaps something you usually overlook.",
            "Think of one small thing from the last day or so that you're glad of.",
        ],
        &[
            "It might be a warm drink, a kind word, or a moment of sunlight. Let it come into focus.",
            "Picture it clearly: where it happened, and how it felt.",
        ],
        &[
            "Notice where you feel that gladness in your body, even faintly.",
            "Let yourself feel, even faintly, the warmth of that moment.",
        ],
        &[
            "Let it spread a little, the way warmth spreads from a cup into your hands.",
            "Stay with that warmth for a breath or two.",
        ],
        &[
            "Now think of a person you're grateful for, and imagine telling them, simply, thank you.",
            "Now bring to mind someone whose presence has helped you, and silently thank them for what they've given you.",
        ],
        &[
            "Notice what happens in your chest as you offer that thanks.",
            "Notice how it feels to give thanks, as well as to receive it.",
        ],
        &[
            "Now turn some of that gratitude toward yourself, for the ways you keep showing up.",
            "Finally, offer a little of that appreciation to yourself, for all that you carry and all that you give.",
        ],
        &[
            "Let the feeling of gratitude fill the space around you, like light filling a room.",
            "Rest for a moment in this sense of having enough.",
        ],
    ],
    rest: &[
        "Rest in the warmth of appreciation.",
        "Let gratitude hum quietly in the background as you breathe.",
        "Simply rest, and let yourself feel how much is already here.",
    ],
    carry: &[
        "Let this appreciation color the way you see the rest of your {part}.",
        "Carry this thankful feeling with you, and notice how often it returns.",
    ],
    intentions: &[
        "notice what is already good in your life",
        "let appreciation guide how you see the {part}",
        "give thanks for the small things as well as the big ones",
    ],
    day_actions: &[
        "thank someone for something they probably think went unnoticed",
        "pause three times to notice something you're glad of",
        "send a short message of appreciation to someone you care about",
    ],
    evening_actions: &[
        "write down three good things from today, however small",
        "tell someone close to you one thing you appreciate about them",
        "recall one kind moment from today before you fall asleep",
    ],
};

const ENERGY: IntentText = IntentText {
    titles: &["Energy", "Bright Energy", "Awake and Alive"],
    quality: "energy",
    energizing: true,
    affirmations: &[
        "I am awake, alert and alive.",
        "I can feel energy moving through my body.",
        "I allow myself to feel bright and ready.",
        "I breathe in fresh energy with every breath.",
        "I am ready for what comes next.",
        "I have plenty of energy for what matters.",
        "I can move my body and feel it come alive.",
        "I choose to spend my energy on what I care about.",
        "I am charged with purpose.",
        "I let go of heaviness and welcome lightness.",
        "I can rise to meet this moment.",
        "I am vibrant, focused and strong.",
        "I allow enthusiasm to grow in me.",
        "I have the strength to keep going.",
        "I am renewed with every breath I take.",
        "I let my energy flow freely.",
        "I can pace myself and still shine.",
        "I welcome a fresh start.",
        "I am light on my feet and clear in my mind.",
        "I bring warmth and energy into every room I enter.",
        "I feel the spark in me growing brighter.",
        "I am fueled by what I love.",
    ],
    identity: &[
        "I am someone who meets life with energy and presence.",
        "I am someone who spends my energy on what matters.",
        "I am someone who brings light into the room.",
    ],
    breath: &[
        "Take a brisk breath in through the nose, filling up from belly to collarbones, and let it out through the mouth.",
        "Breathe in a little faster and fuller than usual, and feel your body wake up with each breath.",
    ],
    scenes: &[],
    imagery: &[
        &[
            "Now imagine a warm, bright light at the center of your chest, like a small sun.",
            "Picture a spark of warm, golden light resting just behind your breastbone.",
        ],
        &[
            "With each in-breath, see that light grow a little brighter and a little larger.",
            "Every time you breathe in, let that light grow stronger.",
        ],
        &[
            "Let the light spread down into your belly and your legs, all the way to your feet.",
            "Feel the light moving downward, warming your hips, your legs and the soles of your feet.",
        ],
        &[
            "Now let it rise into your shoulders, down your arms and into your fingertips.",
            "Let it flow out along your arms, until your hands feel warm and awake.",
        ],
        &[
            "Feel the light lifting up through your neck, into your face, and out through the top of your head.",
            "Let the light brighten your face and clear your head.",
        ],
        &[
            "Notice the hum of aliveness in your hands, your feet and your chest.",
            "Notice how it feels to be fully here, switched on and present.",
        ],
        &[
            "Imagine yourself moving through the rest of your {part} with this light inside you.",
            "Picture yourself stepping into what's next, alert, awake and ready.",
        ],
        &[
            "This energy is yours to draw on whenever you need it, with a single full breath.",
            "Let the light settle at a steady glow, bright enough to carry you forward.",
        ],
    ],
    rest: &[
        "Rest in the gentle hum of energy in your body.",
        "Let the brightness settle and glow steadily.",
        "Feel yourself resting and recharging at the same time.",
    ],
    carry: &[
        "Take this brightness with you into whatever comes next.",
        "Let this energy carry you forward, steady and strong.",
    ],
    intentions: &[
        "move through your {part} with brightness and presence",
        "spend your energy on what truly matters to you",
        "meet what comes with vitality and openness",
    ],
    day_actions: &[
        "step outside and take ten full breaths of fresh air",
        "stand up and stretch every hour or so",
        "put on a song you love and let yourself move",
    ],
    evening_actions: &[
        "lay out what you need for tomorrow so the morning starts easily",
        "take a short, easy walk to shake off the day",
        "notice what gave you energy today, and plan a little more of it",
    ],
};

const SELF_LOVE: IntentText = IntentText {
    titles: &["Self-Love", "Kind Heart", "Loving Kindness"],
    quality: "kindness toward yourself",
    energizing: false,
    affirmations: &[
        "I am worthy of love, exactly as I am.",
        "I can be kind to myself, right now.",
        "I allow myself to be imperfect.",
        "I accept myself, fully and gently.",
        "I am my own friend.",
        "I can speak to myself with warmth.",
        "I deserve the same kindness I give others.",
        "I allow myself to rest when I need it.",
        "I am enough, just as I am.",
        "I honor my needs and my feelings.",
        "I can forgive myself for past mistakes.",
        "I choose to treat myself with respect.",
        "I am learning to love every part of me.",
        "I let go of harsh words I have said to myself.",
        "I am proud of who I am.",
        "I can set boundaries that protect my peace.",
        "I welcome love into my life, including my own.",
        "I am allowed to take up space.",
        "I appreciate my body for all it does for me.",
        "I treat myself with patience.",
        "I am deserving of care and tenderness.",
        "I let myself be exactly who I am.",
    ],
    identity: &[
        "I am someone who treats myself with kindness.",
        "I am someone who is worth caring for.",
        "I am someone who speaks to myself like a good friend would.",
    ],
    breath: &[
        "Breathe in as if you were breathing in kindness, and breathe out anything harsh.",
        "Let each breath be a small act of care toward yourself.",
    ],
    scenes: &[],
    imagery: &[
        &[
            "Now imagine someone who loves you completely: a friend, a relative, a mentor, or even a beloved pet.",
            "Bring to mind someone who has been truly kind to you, someone in whose company you feel accepted.",
        ],
        &[
            "Picture them looking at you with warmth and affection.",
            "See their face, and the way they look at you when they're glad to see you.",
        ],
        &[
            "Notice how they see you: not your mistakes, but the whole of who you are. Now try to look at yourself through their eyes, just for a moment.",
            "They aren't keeping score; they simply see you, and they're glad you exist. See if you can borrow their eyes, and look at yourself the same way.",
        ],
        &[
            "Notice what softens when you see yourself like this.",
            "Let that way of seeing stay with you for a breath or two.",
        ],
        &[
            "Now picture yourself as a young child, and notice how naturally you'd want to comfort and encourage that child.",
            "Imagine the child you once were, and how much that child deserved kindness.",
        ],
        &[
            "That child is still part of you, and still deserves that kindness.",
            "You are still that person, and you still deserve the same care.",
        ],
        &[
            "Let the warmth you'd give to someone you love turn gently back toward you.",
            "Let yourself receive, even just a little, the kindness you so easily give others.",
        ],
        &[
            "Place a hand on your heart, if you like, and feel its warmth.",
            "If it feels right, rest a hand over your heart, and feel the gentle pressure there.",
        ],
    ],
    rest: &[
        "Rest here, held in your own kindness.",
        "Let yourself simply be, without needing to improve anything.",
        "You are welcome here, exactly as you are.",
    ],
    carry: &[
        "Carry this kindness with you, and offer it to yourself often.",
        "Remember that you can speak to yourself this way anytime.",
    ],
    intentions: &[
        "treat yourself as you would treat someone you love",
        "speak to yourself with kindness",
        "honor your needs without apology",
    ],
    day_actions: &[
        "speak to yourself once the way a good friend would",
        "do one small thing just because it makes you feel cared for",
        "notice one harsh thought about yourself and answer it kindly",
    ],
    evening_actions: &[
        "write down one thing you like about yourself",
        "do something comforting for yourself before bed",
        "thank your body for carrying you through the day",
    ],
};

const HEALING: IntentText = IntentText {
    titles: &["Healing", "Gentle Renewal", "Healing Light"],
    quality: "comfort",
    energizing: false,
    affirmations: &[
        "I am allowed to heal at my own pace.",
        "I can be gentle with myself while I mend.",
        "I allow rest to be part of my healing.",
        "I am patient with my body and my heart.",
        "I release what I no longer need to carry.",
        "I can take one small step toward feeling better.",
        "I welcome care and support from others.",
        "I am stronger than I know.",
        "I allow old hurts to soften with time.",
        "I treat myself with tenderness.",
        "I let go of blame and make room for peace.",
        "I am healing, even on the days it doesn't feel like it.",
        "I can hold hope and pain at the same time.",
        "I give myself permission to feel what I feel.",
        "I am safe to slow down and recover.",
        "I trust that small changes add up.",
        "I allow my heart to open again, slowly.",
        "I am whole, even while I heal.",
        "I choose to be kind to the parts of me that hurt.",
        "I can rest, and rest is enough for today.",
        "I welcome each sign of renewal, however small.",
        "I am on my way.",
    ],
    identity: &[
        "I am someone who gives myself time to heal.",
        "I am someone who treats every tender part of me with care.",
        "I am someone who keeps making room for renewal.",
    ],
    breath: &[
        "Breathe gently, as if the breath itself were a soft, warm cloth.",
        "Let each in-breath bring a little ease, and each out-breath let go of a little strain.",
    ],
    scenes: &[GARDEN, MEADOW],
    imagery: &[
        &[
            "Imagine a soft, warm light above you, the color of early sunlight.",
            "Picture a gentle glow of warm light resting just above you.",
        ],
        &[
            "Let that light settle on any part of you that feels tired, sore or tender.",
            "Let the warmth find whatever part of you needs care the most.",
        ],
        &[
            "You don't have to force anything. Let the warmth simply rest there.",
            "There's nothing to push or fix. Let the warmth be there, quietly.",
        ],
        &[
            "Every part of you that is mending is allowed to take its time.",
            "Healing has its own pace, and you're allowed to honor it.",
        ],
        &[
            "Breathe in gently, as if breathing that warmth into your whole body.",
            "With each breath, let the warmth spread a little further.",
        ],
        &[
            "Notice what it feels like to be treated with this much care.",
            "Let yourself be cared for, the way you would care for someone you love.",
        ],
    ],
    rest: &[
        "Rest, and let the warmth keep you company.",
        "Let your whole self be cared for, without needing to do anything.",
        "Simply rest. Rest is a kind of care, too.",
    ],
    carry: &[
        "Carry this gentleness with you, and let your healing take the time it needs.",
        "Remember that rest and kindness are part of healing.",
    ],
    intentions: &[
        "let yourself heal at your own pace",
        "treat every tender part of you with patience",
        "make room for rest, care and renewal",
    ],
    day_actions: &[
        "give yourself one extra pause to rest when you need it",
        "drink a glass of water slowly and with attention",
        "reach out to someone who makes you feel cared for",
    ],
    evening_actions: &[
        "make your space a little more restful before bed",
        "write down one small sign of progress you noticed today",
        "let yourself go to bed a little earlier than usual",
    ],
};

const MOTIVATION: IntentText = IntentText {
    titles: &["Motivation", "Forward Momentum", "Fresh Start"],
    quality: "momentum",
    energizing: true,
    affirmations: &[
        "I am ready to begin.",
        "I can take the first small step.",
        "I allow progress to be imperfect.",
        "I am capable of doing hard things.",
        "I choose action over waiting for the perfect moment.",
        "I can keep going, one step at a time.",
        "I am moving toward what matters to me.",
        "I finish what I start.",
        "I trust that small steps add up to big changes.",
        "I am driven by what I care about.",
        "I can begin again, as many times as I need.",
        "I let go of excuses and make room for effort.",
        "I am building momentum every day.",
        "I welcome challenge as a chance to grow.",
        "I am disciplined and kind to myself at the same time.",
        "I can do this.",
        "I celebrate every bit of progress.",
        "I am focused on my goals.",
        "I allow myself to want more for my life.",
        "I show up for myself, even when it's hard.",
        "I have what it takes.",
        "I am proud of the effort I put in.",
    ],
    identity: &[
        "I am someone who takes the next step.",
        "I am someone who keeps promises to myself.",
        "I am someone who begins, even when I begin small.",
    ],
    breath: &[
        "Breathe in deeply, and feel the breath as fuel, filling you up.",
        "With each in-breath, feel a little more ready; with each out-breath, let go of hesitation.",
    ],
    scenes: &[],
    imagery: &[
        &[
            "Now bring to mind something you want to move toward: a goal, a project, or a change you'd like to make.",
            "Think of something you've been meaning to begin, or to pick up again.",
        ],
        &[
            "Picture it clearly, as if it were already done. What does it look like?",
            "Imagine for a moment that it's already finished, and see the result in front of you.",
        ],
        &[
            "Notice how it would feel to get there: the satisfaction, the relief, the quiet pride.",
            "Let yourself feel what it would be like to get there: the lightness, the pride, the sense of progress.",
        ],
        &[
            "Remember why it matters to you. Not why it should matter, but why it really does.",
            "Ask yourself quietly why this matters to you, and let the answer come in its own time.",
        ],
        &[
            "Now picture the very first step, something small enough to do soon, and see yourself doing it, simply and without fuss.",
            "Now see the smallest possible next step, and watch yourself begin it easily, as if it were the most ordinary thing in the world.",
        ],
        &[
            "Notice how one step makes the next one easier, like stones laid across a stream.",
            "Each small step builds on the last, and momentum grows from there.",
        ],
        &[
            "Feel the quiet pull of that goal, drawing you forward.",
            "Let that sense of direction settle into you, steady and clear.",
        ],
        &[
            "You don't have to feel ready. You only have to begin.",
            "Let that be enough for now: one step, and then the next.",
        ],
    ],
    rest: &[
        "Rest for a moment, gathering your strength.",
        "Let the picture of that first step stay gently in mind.",
        "Rest in the sense of direction you've found.",
    ],
    carry: &[
        "Carry this sense of direction into your next step.",
        "Let this momentum carry you into action.",
    ],
    intentions: &[
        "take one real step toward what matters to you",
        "begin, even if you begin small",
        "keep the promises you make to yourself",
    ],
    day_actions: &[
        "take the first small step you pictured, within the next hour",
        "set a timer for ten minutes and simply begin",
        "tell someone what you're working toward",
    ],
    evening_actions: &[
        "write down the first step for tomorrow, and put it where you'll see it in the morning",
        "acknowledge one thing you moved forward today",
        "prepare one thing tonight that will make tomorrow's start easier",
    ],
};

const GRIEF: IntentText = IntentText {
    titles: &[
        "Holding Grief",
        "Tender Heart",
        "Carrying Love Through Grief",
    ],
    quality: "tenderness",
    energizing: false,
    affirmations: &[
        "I allow myself to grieve in my own way.",
        "I can miss what I have lost and still keep living.",
        "I am allowed to feel everything I feel.",
        "I give my grief the time it needs.",
        "I can carry love and loss together.",
        "I am gentle with myself on the hard days.",
        "I allow tears to come when they need to.",
        "I honor what I have lost by remembering it.",
        "I can rest when grief makes me tired.",
        "I am not alone in this.",
        "I accept that there is no timeline for grief.",
        "I let myself lean on others.",
        "I can hold on to the memories that comfort me.",
        "I am still here, and I matter.",
        "I allow moments of lightness without guilt.",
        "I trust that this pain can change shape over time.",
        "I can take today one hour at a time.",
        "I am loved, and I love, even now.",
        "I give myself permission to not be okay.",
        "I carry what I have lost in my heart.",
        "I am finding my way, slowly.",
        "I can let this grief move through me.",
    ],
    identity: &[
        "I am someone who loves deeply, and grieves honestly.",
        "I am someone who can hold sorrow with tenderness.",
        "I am someone who keeps what I have lost close in my heart.",
    ],
    breath: &[
        "Let the breath be as it is, even if it catches or trembles.",
        "Breathe in gently, and let the out-breath carry whatever it needs to carry.",
    ],
    scenes: &[],
    imagery: &[
        &[
            "If it feels right, bring to mind the person, the place, or the part of your life that you are missing.",
            "Gently let your attention turn toward what you've lost, only as far as feels bearable right now.",
        ],
        &[
            "You don't need to hold the whole of it. Just let a small part of it be here.",
            "There's no right way to feel this. Whatever comes is welcome.",
        ],
        &[
            "Notice where you feel it in your body: perhaps a heaviness, an ache, or a tightness.",
            "Notice where the grief lives in your body right now, and breathe gently around it.",
        ],
        &[
            "Imagine placing a warm hand on that place, the way you would comfort a friend.",
            "Let your breath move around that place, softly, without trying to change it.",
        ],
        &[
            "Perhaps a memory appears: a face, a voice, an ordinary moment. Let it be whatever it is.",
            "Let a memory come, any memory, and let it be exactly as it is.",
        ],
        &[
            "Grief is one of the shapes that love takes when something is gone.",
            "The ache you feel is connected to how much this mattered to you.",
        ],
        &[
            "Let yourself feel held: by the ground beneath you, by the breath, by the people who care for you.",
            "You don't have to carry this alone, and you don't have to carry it all at once.",
        ],
        &[
            "If there's something you'd like to say, say it silently now.",
            "If there's something you wish you could say, let it be said quietly, inside.",
        ],
    ],
    rest: &[
        "Rest here, and let whatever you feel be welcome.",
        "Let the ground hold you, and the breath hold you.",
        "There's no need to be anywhere other than exactly where you are.",
    ],
    carry: &[
        "Take this tenderness with you, and be gentle with yourself in the hours ahead.",
        "Remember that you can come back here whenever your grief needs a quiet place.",
    ],
    intentions: &[
        "let your grief be what it is, without rushing it",
        "carry your love and your loss with tenderness",
        "allow yourself both sorrow and moments of comfort",
    ],
    day_actions: &[
        "allow yourself one moment of remembering, in whatever way feels right",
        "be especially gentle with yourself if the hours feel heavy",
        "reach out to someone who understands",
    ],
    evening_actions: &[
        "light a candle, or sit quietly for a moment, in honor of what you miss",
        "write a few words to what you've lost, if that feels right",
        "let yourself rest early if you're tired",
    ],
};
