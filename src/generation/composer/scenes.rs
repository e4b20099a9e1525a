//! Imagined places for the calming intents. Each scene has a way in and sensory details
//! in a natural order; the intent's own lines give the scene its meaning.

/// A place to imagine: how to arrive there, and what can be seen, heard and felt.
pub(super) struct Scene {
    pub intro: &'static [&'static str],
    pub details: &'static [&'static str],
}

pub(super) const SHORE: Scene = Scene {
    intro: &[
        "Now imagine yourself on a quiet shore, where the sand is soft and the sea stretches out in front of you.",
        "Picture a calm beach late in the day, with no one else around and nowhere you need to be.",
    ],
    details: &[
        "Feel the sand beneath you, still holding a little of the day's warmth.",
        "Hear the waves arriving, one after another, and sliding back out to sea.",
        "Notice the rhythm of the water, unhurried and steady, a little like your own breath.",
        "Feel the air on your skin, soft and faintly salty.",
        "Watch the light move across the surface of the water, shifting and settling.",
        "Somewhere far off, a gull calls once, and then the quiet returns.",
        "Let your eyes follow the line of the horizon, where the sky and the sea meet.",
        "Each wave that comes in is a little smaller than the one before, as the sea grows calmer.",
    ],
};

pub(super) const FOREST: Scene = Scene {
    intro: &[
        "Now imagine you're walking slowly along a path through a quiet forest.",
        "Picture yourself standing among tall, old trees, in a forest where the air is cool and still.",
    ],
    details: &[
        "Feel the soft ground beneath your feet, a carpet of moss and fallen leaves.",
        "Sunlight filters down through the branches, landing in small patches of gold.",
        "Breathe in the smell of the forest: damp earth, pine, and green growing things.",
        "Listen to the leaves moving high above you, a soft and steady rustling.",
        "Somewhere nearby, water trickles over stones.",
        "Place a hand on the trunk of one of the trees, and feel how rooted and patient it is.",
        "These trees have stood through many seasons, and they're in no hurry at all.",
        "With every step, the forest seems to grow quieter, and so do you.",
    ],
};

pub(super) const LAKE: Scene = Scene {
    intro: &[
        "Now picture a still mountain lake, with the water as smooth as glass.",
        "Imagine yourself sitting at the edge of a quiet lake, surrounded by gentle hills.",
    ],
    details: &[
        "The surface of the water is so calm that it perfectly reflects the sky.",
        "Feel the cool, clear air as you breathe it in.",
        "A light breeze passes, making small ripples that spread out and slowly disappear.",
        "Notice how the water always returns to stillness on its own, without any effort.",
        "Listen to the quiet, broken only now and then by a bird in the trees.",
        "The hills around the lake hold it gently, the way the ground is holding you now.",
        "Watch a single leaf drift across the water, unhurried.",
        "The longer you look into the lake, the stiller it becomes.",
    ],
};

pub(super) const MEADOW: Scene = Scene {
    intro: &[
        "Now imagine a wide, open meadow on a mild day, the grass moving softly in the breeze.",
        "Picture yourself lying in a meadow of long grass and wildflowers, under a wide, open sky.",
    ],
    details: &[
        "Feel the warmth of the sun on your face and on your hands.",
        "The grass sways in slow waves as the wind passes over it.",
        "Notice the colors of the wildflowers: small dots of yellow, white and violet.",
        "Above you, a few clouds drift across the sky, taking their time.",
        "Hear the soft hum of bees moving from flower to flower.",
        "The earth beneath you is solid and warm, and it holds you completely.",
        "Breathe in the sweet, green smell of the grass.",
        "There's space here in every direction, and plenty of room to breathe.",
    ],
};

pub(super) const NIGHT_SKY: Scene = Scene {
    intro: &[
        "Now imagine you're lying somewhere safe and warm beneath a clear night sky.",
        "Picture a quiet night, and yourself wrapped warmly in a blanket, looking up at the stars.",
    ],
    details: &[
        "The sky above you is deep and dark and full of soft, faraway lights.",
        "The air is cool on your face, while the rest of you stays warm and heavy.",
        "Somewhere far away, the world is going quiet, one light at a time.",
        "Notice one star, and then let your gaze soften until the whole sky rests in your eyes.",
        "The moon moves very slowly across the sky, and it has all night to do it.",
        "A soft breeze passes, and you sink a little further into the warmth beneath you.",
        "The stars ask nothing of you; they simply glow, and let you rest.",
        "The night is wide and patient, and it's holding you gently.",
    ],
};

pub(super) const CABIN: Scene = Scene {
    intro: &[
        "Now imagine a small, warm cabin, with rain falling softly on the roof.",
        "Picture a cozy room at night, lit only by the glow of a low fire.",
    ],
    details: &[
        "Listen to the rain, steady and soft, tapping on the roof above you.",
        "The fire crackles quietly, and its warmth reaches you where you lie.",
        "You're wrapped in a heavy blanket, warm and completely safe.",
        "Outside, the world is wet and dark, and in here everything is still.",
        "The light from the fire flickers on the ceiling, slow and golden.",
        "The rain grows softer, and the gaps between the drops grow longer.",
        "Every sound in this room is a sound of rest.",
        "There's nothing to do here, and no one who needs you until morning.",
    ],
};

pub(super) const GARDEN: Scene = Scene {
    intro: &[
        "Now imagine a quiet, walled garden, warm and sheltered, where everything grows at its own pace.",
        "Picture a sheltered garden in soft light, full of green and growing things.",
    ],
    details: &[
        "Feel the warmth of the sun resting on your shoulders.",
        "Notice the plants around you, some in full bloom, some only just beginning.",
        "Hear the soft sound of water from a small fountain.",
        "Breathe in the scent of warm earth and flowers.",
        "Nothing in this garden is hurried; every plant takes the time it needs.",
        "A small bird lands nearby, looks around, and moves on.",
        "Run your fingers over the leaves of a plant, and feel how alive it is.",
        "In this garden, even the smallest new shoot is welcome.",
    ],
};
