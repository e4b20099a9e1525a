//! The phrase tables of the safety detector, grouped by level and category.
//! Reviewers extend these; the syntax is described in the module above.

use super::{Group, Kind, RiskCategory, RiskLevel};

/// Preparation, means at hand or a final goodbye: imminent risk on its own.
pub(super) const CRITICAL_SUICIDE: &[&str] = &[
    "pills/tablets/meds/painkillers/noose ready",
    "saved/saving/stockpiled/stockpiling/hoarded/hoarding up/enough/all/_ my/the/_ pills/tablets/meds/painkillers",
    "tied/tying/made/bought a/the noose",
    "written/wrote/writing/finished/left my/a/the/_ goodbye/suicide letter/letters/note/notes",
    "took/taken/swallowed all my/the/of+my pills/tablets/meds/painkillers",
    "took/taken/swallowed a+bottle+of/a+whole+bottle+of/too+many/a+handful+of/loads+of/lots+of pills/tablets/meds/painkillers",
    "going/planning/about/ready/want/wanting/decided/tempted to swallow all/every+one+of my/the/of+my/of+the pills/tablets/meds/painkillers",
    "take/taking/swallow/swallowing all/every+one+of my/the/of+my/of+the pills/tablets/meds/painkillers at+once/in+one+go",
    "this is my last night/day $",
    "my last night/day/hours alive/on+earth",
    "will not hear from me again !until/till/til/for/before/after/this/in/when",
];

/// Active suicidal intent. Critical when a time, means or plan is nearby.
pub(super) const HIGH_SUICIDE_INTENT: &[&str] = &[
    "kill/killing myself",
    "kms",
    "end/ending my own/_ life",
    "take/taking my own life",
    "take/taking my life !back/in/into/to/seriously/more/forward/one/from/off/out/and/as/for/apart/over/a/under/with/on/public/private/online/easy/slow/slowly/day/step",
    "end/ending it all",
    "going/planning/about/ready/want/wanting/decided to end it/things !with/between/off/all/here/there/early/properly/politely/on/for/now+with/amicably/nicely/well/gracefully/respectfully/cleanly",
    "going/planning/about/ready/want/wanting/decided/tempted to take all/every+one+of my/the/of+my/of+the pills/tablets/meds/painkillers/medication/medications !with+me/with+food/with+water/with+a+meal/with+meals/with+breakfast/with+lunch/with+dinner/as/on+time/on+schedule/correctly/properly/regularly/daily/every+day/each+day/every+morning/each+morning/in+the+morning/to+the/to+my/back/out/off/away",
    "commit/committing/attempt/attempting suicide",
    "unalive/unaliving myself",
    "hang/hanging/shoot/shooting/drown/drowning/poison/poisoning/off/offing myself",
    "overdose on purpose",
    "overdosed",
    "take/taking an overdose",
    "took/taken/had an/a overdose/od",
    "want/going/about/planning to overdose/od",
    "jump/jumping off/from a/the bridge/building/roof/balcony/overpass",
    "jump/jumping/throw+myself in+front+of/under a/the train/bus/truck/lorry",
    "jump/jumping off/from a/the cliff/cliffs/window/ledge/rooftop/skyscraper/tower/top+floor/car+park/parking+garage !into/in+to/in+the+sea/in+the+water/in+the+lake/in+a+lake/in+the+ocean/with/for+fun/on+holiday/on+vacation/on+a+dare/together/at+the+beach",
    "jump/jumping/throw+myself/throwing+myself out/out+of a/the/my window",
    "jump/jumping/throw+myself/throwing+myself/step/stepping in+front+of/under a/the/an/_ train/bus/truck/lorry/car/cars/traffic/oncoming+traffic/subway/tube",
    "walk/walking/step/stepping into traffic/oncoming+traffic",
    "slit/slitting/cut/cutting/slash/slashing my wrists/wrist/throat",
    "i should/will/might/could/am+going+to kys",
    "want/going/about/planning/ready to kys",
];

/// Passive ideation ("I want to die"). Critical when means or a plan is nearby.
pub(super) const HIGH_SUICIDE_IDEATION: &[&str] = &[
    "want/wanting to die !of/laughing/for",
    "want/wanting to die for real/sure/weeks/months/days/years/ages/a+while/so+long/a+long+time/some+time",
    "rather be+dead/die/not+exist/not+be+alive !than/of/laughing/doing/trying/happy/old/young/on/for/with/at",
    "i should/deserve+to/might+as+well/may+as+well die !my/of/laughing/for/trying/from/in/at/on/with/than/happy/old/young/first",
    "want/wanting to be dead",
    "wish i was/were/could+be dead",
    "wish i could/would die",
    "wish/wishing i was/were/had never/not been/_ born",
    "do not want to live !like/in/on/at/with/there/here/near/alone/together/abroad/somewhere/anywhere/forever/by/under/nearby",
    "do not want to be alive/here+anymore/around+anymore",
    "no longer want/wish to live/be+alive/exist/keep+living/go+on+living/be+here+anymore/be+around+anymore !like/in/on/at/with/there/here/near/alone/together/abroad/somewhere/anywhere/forever/by/under/nearby",
    "do not want to exist",
    "want/wanting to stop+existing/not+exist/cease+to+exist/not+be+alive/stop+being+alive/stop+living !like/in/on/at/with/there/here/near/alone/together/abroad/somewhere/anywhere/by/under/paycheck/for",
    "do not want to wake up !early/at/before/so/for/this/in/to/on/late/tired/exhausted/groggy/grumpy/cranky/foggy/sore/stiff/sick/hungover/anxious/stressed/panicked/panicking/sweaty/sweating/feeling/during/every/each/multiple/several/constantly/repeatedly/throughout/too/with/until+morning/until+the+morning/until+#/until+my+alarm/until+the+alarm/until+noon/until+dawn/until+sunrise/until+daylight/till+morning/till+#/till+my+alarm/till+noon/#/halfway/midway/once/twice/often/a+lot/as+much/as+often/between/after/because+of/from/more+than/earlier/later/all+night/all+the+time/again+at/again+in/again+during/again+tonight/again+with/again+feeling/again+tired",
    "do not want to wake up at all",
    "not sure/certain if/whether/that/_ i want to live/be+alive/keep+living/exist !in/on/at/with/there/here/like/near/alone",
    "do not know if/whether i want to live/be+alive/keep+living/exist !in/on/at/with/there/here/like/near/alone",
    "not worth living",
    "life is not worth it",
    "no reason to live/keep+living/go+on/be+alive",
    "do not have a/any/_ reason to live/keep+living/go+on/be+alive !there/here/near/nearby/abroad/somewhere/anywhere/together/at",
    "nothing/nothing+left to live for",
    "do not have anything/anyone/a+thing/much/anything+left to live for",
    "no point in/to living/being+alive/existing/life",
    "better off dead",
    "better off without me",
    "better without me",
    "better off if i died/disappeared/was+gone/were+gone/was+dead/were+dead/was+not+here/were+not+here/did+not+exist",
    "better off when i am/was/were gone/dead/not+here/not+around !for/on/to/from/at/in/by/before/after/a/the",
    "no+one/nobody would/will miss me",
    "no+one/nobody would/will care/notice if i died/was+gone/were+gone/disappeared/killed+myself/was+dead/were+dead/ended+it/ended+my+life/was+not+here/were+not+here/did+not+exist",
    "no+one/nobody cares/would+care/will+care if/whether i live/lived or/and die/died",
    "would/will be happier/better/easier/fine/relieved for+everyone/for+everybody/for+them/for+my+family/_ if/when i was/were/am dead/gone/not+alive !for/from/by/on/at/to/before/after/this/that/longer/tomorrow/a/an/the/in/out/over",
    "would/will be happier/better/easier/fine/relieved for+everyone/for+everybody/for+them/for+my+family/_ if/when i died/killed+myself/did+not+exist/never+existed/was+never+born/were+never+born/disappeared/was+not+here/were+not+here/was+not+around/were+not+around/am+not+around/am+not+here !for/from/by/on/at/to/before/after/this/that/longer/tomorrow/a/an/the/in/out/over",
    "would/will be happier/easier without me !in/at/on/there/for/as/micromanaging/nagging/interfering/hovering",
    "a/the better place without me",
    "wish i was/were not alive/here+anymore/around+anymore",
    "wish i did/could not exist",
    "wish i could/would stop existing/cease+to+exist",
    "want/wish it+all/everything to be over !by/before/so/already/quickly",
    "tired of living/being+alive/existing",
    "ready to die !on/for/of/laughing",
    "and/to never wake up !at/before/during/every/each/#/early/too/tired/exhausted/groggy/grumpy/cranky/foggy/sore/stiff/sick/hungover/anxious/stressed/panicked/panicking/sweaty/sweating/feeling/with/multiple/several/constantly/repeatedly/throughout/often/so+often/as+often/once/twice/halfway/midway/in+the+middle/in+the+night/in+a+panic/in+a+sweat/in+pain/between/after/because+of/more+than/all+night/until+morning/until+the+morning/until+#/until+my+alarm/until+the+alarm/until+noon/until+dawn/until+sunrise/until+daylight/till+morning/till+#/till+my+alarm/till+noon/again+at/again+in/again+during/again+tonight/again+with",
    "and/to never wake up at all",
    "hope/wish i never/do+not/would+not wake up !at/before/during/every/each/#/early/too/tired/exhausted/groggy/grumpy/cranky/foggy/sore/stiff/sick/hungover/anxious/stressed/panicked/panicking/sweaty/sweating/feeling/with/multiple/several/constantly/repeatedly/throughout/often/so+often/as+often/once/twice/halfway/midway/in+the+middle/in+the+night/in+a+panic/in+a+sweat/in+pain/between/after/because+of/more+than/all+night/until+morning/until+the+morning/until+#/until+my+alarm/until+the+alarm/until+noon/until+dawn/until+sunrise/until+daylight/till+morning/till+#/till+my+alarm/till+noon/again+at/again+in/again+during/again+tonight/again+with",
    "hope/wish i never/do+not/would+not wake up at all",
    "sleep and not wake up !at/before/during/every/each/#/early/too/tired/exhausted/groggy/grumpy/cranky/foggy/sore/stiff/sick/hungover/anxious/stressed/panicked/panicking/sweaty/sweating/feeling/with/multiple/several/constantly/repeatedly/throughout/often/so+often/as+often/once/twice/halfway/midway/in+the+middle/in+the+night/in+a+panic/in+a+sweat/in+pain/between/after/because+of/more+than/all+night/until+morning/until+the+morning/until+#/until+my+alarm/until+the+alarm/until+noon/until+dawn/until+sunrise/until+daylight/till+morning/till+#/till+my+alarm/till+noon/again+at/again+in/again+during/again+tonight/again+with",
    "sleep and not wake up at all",
    "want/wish it+all/everything to/would end",
    "wish it would all end",
    "thinking/thought/thoughts/think about/of suicide/dying/death/killing+myself/ending+my+life/ending+it+all",
    "want/going to unalive/be+unalive/be+unalived",
    "want/need/call/calling/text/texting/number+for a/the suicide hotline/helpline/lifeline/line",
];

/// Bare topic words. High, but capped at Medium when discussed or about others.
pub(super) const HIGH_SUICIDE_MENTION: &[&str] = &["suicide", "suicidal", "sewerslide"];

/// Intent to seriously self-harm. Critical when a time, means or plan is nearby.
pub(super) const HIGH_SELF_HARM_INTENT: &[&str] = &[
    "want/wanting/going/about/planning/need/needing/tempted/ready to hurt/harm/cut/burn/injure/stab/slash myself !some/any/slack/a+break/a+slice/a+piece/a+deal/off/out/loose/free/short/back/down+to+size",
    "want/wanting/going/about/planning/need/tempted to self harm",
];

/// Intent to harm others. Critical when a time, means or plan is nearby.
pub(super) const HIGH_VIOLENCE_INTENT: &[&str] = &[
    "want/wanting/going/about/planning/ready/tempted to kill/hurt/stab/shoot/strangle/murder/attack/choke/poison/beat+up him/her/them/someone/somebody/people/everyone/everybody/my+boss/my+wife/my+husband/my+partner/my+family !feelings/feeling/chances/career/pride/ego/reputation/credit/with+kindness",
    "shoot/shooting up the/a/my school/office/workplace/mall/church/mosque/synagogue/class",
    "bomb/bombing/blow+up the/a/my school/office/workplace/mall/church/mosque/synagogue/class",
];

/// Self-harm history or urges without stated intent.
pub(super) const MEDIUM_SELF_HARM: &[&str] = &[
    "self harm/harming/harmed/harms/injury/injuring/injured/injure",
    "cut/cutting/burn/burning/burned/burnt/hurt/hurting/harm/harming/hit/hitting/scratch/scratching/starve/starving/punish/punishing myself",
    "been/started/start/keep/kept cutting again",
    "cutting again $",
    "been cutting $",
    "urge/urges to cut/self+harm/hurt+myself/harm+myself/burn+myself",
];

/// Suicide mentioned about others, in the past, or as a warning sign.
pub(super) const MEDIUM_SUICIDE: &[&str] = &[
    "kill/killed/killing himself/herself/themselves/themself",
    "wanted to die/be+dead",
    "feel/feeling like dying",
    "giving/gave away all/_ my things/stuff/belongings/possessions",
];

/// Hopelessness and entrapment.
pub(super) const MEDIUM_DISTRESS: &[&str] = &[
    "hopeless",
    "hopelessness",
    "can't go on !the/a/an/holiday/holidays/vacation/tour/stage/leave/date/dates/ride/rides/social/air/tv/it/trip/trips/foot/this+trip/that+trip/my+trip",
    "can't take/do/handle/bear/stand it/this/life anymore",
    "can't keep going $",
    "can't keep going/living like this",
    "can't live like this",
    "don't want to live like this",
    "no point in anything/trying/everything/going+on",
    "there's no point $",
    "what's the point $",
    "what's the point of anything/life/living/trying/it+all/going+on",
    "life is pointless/meaningless/hopeless",
    "everything is pointless/meaningless/hopeless",
    "no way out",
    "want to give up $",
    "want to give up on life/everything/myself",
    "giving/given/gave up on life/everything/myself",
    "am/feel+like/feeling+like/such a burden",
    "a burden to/on everyone/everybody/others/my+family",
    "i'm/feel/feeling/so/completely worthless",
    "hate myself",
    "want/wish to/i+could disappear",
    "disappear forever",
    "want/wish to/i+could sleep forever",
    "done with life/living",
];

/// Abuse or urges aimed at others without stated intent.
pub(super) const MEDIUM_VIOLENCE: &[&str] = &[
    "kys",
    "kill/go+kill yourself",
    "go die",
    "hope you die",
    "want/going to kill/hurt you",
    "feel/feeling like hurting/killing/punching/hitting someone/somebody/people/him/her/them/everyone",
];

/// Everyday distress words.
pub(super) const LOW_DISTRESS: &[&str] = &[
    "depressed",
    "depression",
    "anxious",
    "anxiety",
    "struggling",
    "overwhelmed",
    "stressed",
    "stressing",
    "so much stress",
    "under a lot of stress",
    "lonely",
    "loneliness",
    "feel/feeling/so/all/very/completely alone",
    "isolated",
    "burned/burnt out",
    "burnout",
    "panic attack/attacks",
    "panicking",
    "miserable",
    "feel/feeling/so/very/really sad",
    "been/keep/kept crying",
    "can't stop crying",
    "cry/crying myself to sleep",
    "feel/feeling empty/numb/broken/lost/hollow/trapped",
    "dead/dying inside",
    "falling apart",
    "breaking down",
    "heartbroken",
    "grieving",
    "i'm not okay/ok/alright/fine",
    "hate my life",
    "can't cope",
];

/// Benign uses of a risk phrase. A risk match lying wholly inside one of
/// these is ignored; a longer risk phrase that merely overlaps still counts
/// ("want to hurt myself at school" stays High).
pub(super) const SAFE_PHRASES: &[&str] = &[
    "# kms",
    "few/many/some/several/hundred/hundreds/thousand/thousands/more/extra kms",
    "suicide squad/sprint/sprints/drill/drills/run/runs/mission/missions/door/doors/lane/king/blonde",
    "career/political/social/commercial/electoral/professional/financial/fashion suicide",
    "hopeless romantic/romantics/case/cases/at/with",
    "shoot/shooting myself in+the+foot",
    "cut/cutting/hurt/hurting/burn/burned/burnt/burning myself shaving/cooking/chopping/slicing/playing/lifting/running/exercising/training/skiing/skating/cycling/falling/gardening/slightly/accidentally/on+the/on+a/on+some/in+the+gym/at+the+gym/at+work/at+football/at+practice/at+training/by+accident",
    "accidentally/nearly/almost/slightly cut/hurt/burned/burnt/burn myself",
    "killing myself at/over/trying/working/studying/training/for+this/to+finish/to+get/to+make/to+meet/to+keep+up/to+hit/to+catch+up/to+pay/to+impress/to+please",
    "kill/killing myself with/over/for/on this/the/my/all+this/all+the/these/those/_ work/workload/job/project/projects/overtime/hours/long+hours/extra+hours/schedule/deadline/deadlines/studying/studies/exams/exam/revision/homework/thesis/shift/shifts/double+shifts/commute/training/workouts/workout/stress/worry/worrying/overthinking/company/boss/team/career/business",
    "killing myself for nothing",
    "cut/cutting myself some/any/more/a+little/a+bit+of/_ slack",
    "cut/cutting myself a break/slice/piece/deal",
    "cut/cutting myself off/loose/free/short/back",
    "burn/burning/burned/burnt myself out",
    "anxious to",
    "going/want/about/ready to kill/destroy/crush them/him/her/everyone/everybody at/in/on the/this/tomorrows/tonights game/match/field/court/tournament/competition/final/finals/audition/interview/exam/test/race/gig/show/quiz",
];

/// Time words that make stated intent imminent.
pub(super) const TIME_MARKERS: &[&str] = &[
    "tonight",
    "today",
    "tomorrow",
    "now",
    "soon",
    "this weekend/week/evening/afternoon/morning",
    "in an/one/a+few/two/few hour/hours/minutes",
    "after work/school",
    "at midnight",
    "before/by morning",
    "when/once everyone is asleep/sleeping",
];

/// Means or a plan: make intent or ideation Critical when nearby.
pub(super) const MEANS_MARKERS: &[&str] = &[
    "pills",
    "tablets",
    "painkillers",
    "overdose",
    "rope",
    "noose",
    "gun",
    "pistol",
    "rifle",
    "shotgun",
    "bullet/bullets",
    "razor/razors",
    "blade/blades",
    "knife/knives",
    "bridge",
    "ledge",
    "rooftop",
    "tracks",
    "a/the/my plan",
    "planned/planning",
    "goodbye letter/letters/note/notes",
    "suicide note",
    "method/methods",
];

/// Words that negate a phrase that follows them.
pub(super) const NEGATORS: &[&str] = &["not", "never", "no", "nor"];

/// Words that may sit between a negator and the phrase it negates
/// ("not *going to* kill myself", "no *thoughts of* suicide").
pub(super) const NEGATION_BRIDGES: &[&str] = &[
    "going",
    "to",
    "want",
    "wanting",
    "ever",
    "even",
    "really",
    "actually",
    "seriously",
    "so",
    "at",
    "all",
    "any",
    "feel",
    "feeling",
    "felt",
    "been",
    "be",
    "am",
    "is",
    "was",
    "are",
    "were",
    "would",
    "will",
    "could",
    "should",
    "try",
    "trying",
    "tried",
    "plan",
    "plans",
    "planning",
    "planned",
    "intend",
    "intending",
    "intention",
    "intentions",
    "intent",
    "thoughts",
    "thought",
    "thinking",
    "think",
    "of",
    "about",
    "desire",
    "urge",
    "urges",
    "have",
    "had",
    "need",
];

/// Words that may sit between the words of a phrase ("want to *fucking* die").
pub(super) const FILLERS: &[&str] = &[
    "just",
    "really",
    "fucking",
    "fuckin",
    "freaking",
    "frickin",
    "literally",
    "honestly",
    "actually",
    "seriously",
    "truly",
    "totally",
    "so",
    "kinda",
    "sorta",
    "like",
    "um",
    "umm",
    "uh",
    "uhh",
    "er",
    "erm",
    "basically",
    "even",
    "lowkey",
    "lol",
];

/// Words naming the speaker. A phrase containing one is always about the speaker.
pub(super) const FIRST_PERSON: &[&str] = &["i", "me", "my", "myself", "mine", "kms"];

/// Words naming someone else as the subject ("my *friend* is suicidal").
pub(super) const THIRD_PERSON: &[&str] = &[
    "he",
    "she",
    "they",
    "him",
    "her",
    "his",
    "their",
    "them",
    "friend",
    "friends",
    "brother",
    "sister",
    "mom",
    "mum",
    "dad",
    "mother",
    "father",
    "son",
    "daughter",
    "wife",
    "husband",
    "partner",
    "boyfriend",
    "girlfriend",
    "cousin",
    "uncle",
    "aunt",
    "colleague",
    "coworker",
    "classmate",
    "roommate",
    "someone",
    "character",
    "people",
    "person",
    "man",
    "woman",
    "kid",
    "kids",
    "guy",
    "girl",
    "boy",
    "patient",
    "client",
    "student",
    "students",
    "teen",
    "teens",
    "victim",
    "family",
    "relative",
    "relatives",
    "parent",
    "parents",
    "sibling",
    "siblings",
    "child",
    "children",
    "baby",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "granddad",
    "grandad",
    "nan",
    "nephew",
    "niece",
    "stepdad",
    "stepmom",
    "stepmum",
    "fiance",
    "fiancee",
    "ex",
    "neighbor",
    "neighbour",
    "teammate",
    "bestie",
    "loved",
    "acquaintance",
];

/// Prepositions that may link a bare topic word to someone else ("the
/// suicide *of* my brother", "a suicide *in* my family").
pub(super) const OTHERS_AFTER: &[&str] = &["of", "in", "by", "among", "within"];

/// Words that put the speaker back in view after such a preposition.
pub(super) const SPEAKER_SUBJECTS: &[&str] = &["i", "me", "myself"];

/// Words showing a phrase is discussed as a topic, not felt.
pub(super) const DISCUSSION_CUES: &[&str] = &[
    "book",
    "books",
    "novel",
    "film",
    "films",
    "movie",
    "movies",
    "documentary",
    "show",
    "series",
    "episode",
    "song",
    "lyrics",
    "article",
    "story",
    "podcast",
    "essay",
    "paper",
    "study",
    "studies",
    "research",
    "report",
    "news",
    "class",
    "lecture",
    "course",
    "training",
    "prevention",
    "awareness",
    "hotline",
    "helpline",
    "lifeline",
    "statistics",
    "stats",
    "rate",
    "rates",
    "character",
    "characters",
    "author",
    "history",
    "topic",
    "poem",
    "play",
    "campaign",
    "charity",
    "bomber",
    "bombing",
    "bombers",
];

/// Contractions and chat spellings, rewritten in user text and phrases alike.
/// Keys are already lowercase with apostrophes removed.
pub(super) const REWRITES: &[(&str, &str)] = &[
    ("dont", "do not"),
    ("doesnt", "does not"),
    ("didnt", "did not"),
    ("cant", "can not"),
    ("cannot", "can not"),
    ("couldnt", "could not"),
    ("wont", "will not"),
    ("wouldnt", "would not"),
    ("shouldnt", "should not"),
    ("isnt", "is not"),
    ("arent", "are not"),
    ("wasnt", "was not"),
    ("werent", "were not"),
    ("havent", "have not"),
    ("hasnt", "has not"),
    ("hadnt", "had not"),
    ("aint", "am not"),
    ("im", "i am"),
    ("ive", "i have"),
    ("id", "i would"),
    ("ill", "i will"),
    ("youre", "you are"),
    ("hes", "he is"),
    ("shes", "she is"),
    ("theyre", "they are"),
    ("thats", "that is"),
    ("theres", "there is"),
    ("whats", "what is"),
    ("its", "it is"),
    ("wanna", "want to"),
    ("gonna", "going to"),
    ("gotta", "got to"),
    ("tryna", "trying to"),
    ("finna", "going to"),
    ("imma", "i am going to"),
    ("ima", "i am going to"),
    ("idk", "i do not know"),
    ("rn", "right now"),
    ("tonite", "tonight"),
    ("2nite", "tonight"),
    ("2day", "today"),
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("2moro", "tomorrow"),
    ("cuz", "because"),
    ("coz", "because"),
    ("selfharm", "self harm"),
    ("meself", "myself"),
    ("dyin", "dying"),
    ("killin", "killing"),
    ("nothin", "nothing"),
    ("livin", "living"),
];

/// Adjacent words joined into one ("my self" -> "myself", "no one" -> "noone").
pub(super) const JOINS: &[(&str, &str, &str)] = &[
    ("my", "self", "myself"),
    ("your", "self", "yourself"),
    ("her", "self", "herself"),
    ("him", "self", "himself"),
    ("them", "selves", "themselves"),
    ("un", "alive", "unalive"),
    ("un", "aliving", "unaliving"),
    ("un", "alived", "unalived"),
    ("sewer", "slide", "sewerslide"),
    ("no", "one", "noone"),
];

/// Chat spellings that are also ordinary tokens (a digit, a letter): they
/// match the full word inside phrases but stay themselves elsewhere, so
/// "2 kms" is still a distance.
pub(super) const LOOSE_SPELLINGS: &[(&str, &str)] = &[
    ("2", "to"),
    ("4", "for"),
    ("u", "you"),
    ("r", "are"),
    ("ur", "your"),
    ("n", "and"),
];

/// All risk groups with their level, category and escalation behaviour.
pub(super) const GROUPS: &[Group] = &[
    Group::new(
        RiskLevel::Critical,
        RiskCategory::Suicide,
        Kind::Plain,
        CRITICAL_SUICIDE,
    ),
    Group::new(
        RiskLevel::High,
        RiskCategory::Suicide,
        Kind::Intent,
        HIGH_SUICIDE_INTENT,
    ),
    Group::new(
        RiskLevel::High,
        RiskCategory::Suicide,
        Kind::Ideation,
        HIGH_SUICIDE_IDEATION,
    ),
    Group::new(
        RiskLevel::High,
        RiskCategory::Suicide,
        Kind::Mention,
        HIGH_SUICIDE_MENTION,
    ),
    Group::new(
        RiskLevel::High,
        RiskCategory::SelfHarm,
        Kind::Intent,
        HIGH_SELF_HARM_INTENT,
    ),
    Group::new(
        RiskLevel::High,
        RiskCategory::Violence,
        Kind::Intent,
        HIGH_VIOLENCE_INTENT,
    ),
    Group::new(
        RiskLevel::Medium,
        RiskCategory::SelfHarm,
        Kind::Plain,
        MEDIUM_SELF_HARM,
    ),
    Group::new(
        RiskLevel::Medium,
        RiskCategory::Suicide,
        Kind::Plain,
        MEDIUM_SUICIDE,
    ),
    Group::new(
        RiskLevel::Medium,
        RiskCategory::Distress,
        Kind::Plain,
        MEDIUM_DISTRESS,
    ),
    Group::new(
        RiskLevel::Medium,
        RiskCategory::Violence,
        Kind::Plain,
        MEDIUM_VIOLENCE,
    ),
    Group::new(
        RiskLevel::Low,
        RiskCategory::Distress,
        Kind::Plain,
        LOW_DISTRESS,
    ),
];

// ---------------------------------------------------------------------------
// Tunables
// ---------------------------------------------------------------------------

/// Only this many characters are analysed; keeps the cost bounded.
pub const MAX_CHARS: usize = 5_000;
/// How many words back a negator may sit (through bridge words only).
pub(super) const NEGATION_REACH: usize = 5;
/// How many words back a third-person subject may sit.
pub(super) const THIRD_PERSON_REACH: usize = 3;
/// How many words after "of/in/by" someone else may sit ("of my best friend").
pub(super) const OTHERS_AFTER_REACH: usize = 3;
/// How far (in words) a discussion cue may sit from a phrase.
pub(super) const CUE_REACH: usize = 8;
/// How far after a non-topic phrase a discussion cue may sit.
pub(super) const CUE_REACH_AFTER: usize = 2;
/// How far (in words) a time or means marker may sit from intent.
pub(super) const MARKER_REACH: usize = 12;
/// How many filler words may be skipped inside one phrase.
pub(super) const MAX_FILLER_SKIPS: usize = 2;
/// Cap on reported signals, so a pathological message stays readable.
pub(super) const MAX_SIGNALS: usize = 24;
