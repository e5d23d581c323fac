"""The language of questions: the frames people ask "who said what" in, as reviewable tables.

A frame is a template of words. `{speaker}`, `{topic}` and `{claim}` are the slots the
question fills; `<name>` stands for every phrase of the word list `name` below; `a|b` is a
choice of words; a trailing `?` makes a word optional. Frames are tried in order, so a more
specific frame comes before a more general one ("who said what about X" before "who said X").
Matching ignores case; the question's final punctuation is removed first.
"""

from __future__ import annotations

from typing import Final

from bot import lexicon

# Words that open a request and carry nothing ("please tell me who said ...").
REQUEST_OPENERS: Final = (
    "please",
    "pls",
    "hi",
    "hello",
    "hey",
    "ok",
    "okay",
    "so",
    "and",
    "can you tell me",
    "could you tell me",
    "can you show me",
    "could you show me",
    "can you find",
    "could you find",
    "would you tell me",
    "tell me",
    "show me",
    "give me",
    "find me",
    "find",
    "search for",
    "search",
    "look up",
    "list",
    "i want to know",
    "i would like to know",
    "i'd like to know",
    "i wonder",
    "do you know",
    "any idea",
)

# Words that close a request and carry nothing ("..., please").
REQUEST_CLOSERS: Final = ("please", "pls", "thanks", "thank you", "thx")

# Auxiliaries between a question word and its subject ("what did", "what has").
AUXILIARIES: Final = (
    "did",
    "does",
    "do",
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "could",
    "can",
    "might",
    "should",
)

# Forms of "be", for passives ("what was said", "who was quoted").
BE: Final = ("is", "are", "was", "were", "has been", "have been", "had been", "is being", "be")

# Verbs that ask for what a speaker said, in the forms a question uses them.
SAY: Final = (
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "report",
    "reports",
    "reported",
    "claim",
    "claims",
    "claimed",
    "state",
    "states",
    "stated",
    "announce",
    "announced",
    "think",
    "thinks",
    "thought",
    "write",
    "writes",
    "wrote",
    "written",
    "comment",
    "commented",
    "argue",
    "argued",
    "suggest",
    "suggested",
    "add",
    "added",
    "tweet",
    "tweeted",
    "declare",
    "declared",
    "stress",
    "stressed",
    "warn",
    "warned",
    "mean",
    "meant",
    "feel",
    "felt",
    "believe",
    "believed",
    "reveal",
    "revealed",
    "confirm",
    "confirmed",
    "mention",
    "mentioned",
    "talk",
    "talked",
    "speak",
    "spoke",
    "spoken",
)

# Verbs that ask who discussed a topic, not who made a claim ("who mentioned Idlib").
DISCUSS: Final = (
    "talk",
    "talks",
    "talked",
    "speak",
    "speaks",
    "spoke",
    "spoken",
    "comment",
    "comments",
    "commented",
    "mention",
    "mentions",
    "mentioned",
    "discuss",
    "discusses",
    "discussed",
    "address",
    "addressed",
    "raise",
    "raised",
    "refer to",
    "referred to",
    "weigh in",
    "weighed in",
    "write",
    "wrote",
    "written",
    "tweet",
    "tweeted",
    "report",
    "reported",
    "react",
    "reacted",
    "respond",
    "responded",
    "testify",
    "testified",
)

# Verbs that ask how a speaker met a topic ("how did Russia react to the strikes").
REACT: Final = (
    "react to",
    "reacted to",
    "respond to",
    "responded to",
    "reply to",
    "replied to",
    "describe",
    "described",
    "see",
    "view",
    "viewed",
    "characterise",
    "characterize",
    "feel about",
    "comment on",
    "commented on",
)

# Words that introduce a topic ("about Azaz", "on Turkey").
ABOUT: Final = (
    "about",
    "on",
    "regarding",
    "concerning",
    "over",
    "re",
    "of",
    "to",
    "with regard to",
    "in regard to",
    "in relation to",
    "as regards",
    "in connection with",
)

# Words for what was said, as the object of a request ("quotes from Zakharova").
SAYINGS: Final = (
    "quote",
    "quotes",
    "quotation",
    "quotations",
    "statement",
    "statements",
    "comment",
    "comments",
    "remark",
    "remarks",
    "reaction",
    "reactions",
    "response",
    "responses",
    "word",
    "words",
    "claim",
    "claims",
    "view",
    "views",
    "everything",
    "anything",
    "something",
    "what was said",
    "news",
)

# A speaker's stance, as a noun ("what is Zakharova's position on Turkey").
STANCES: Final = (
    "view",
    "views",
    "position",
    "stance",
    "take",
    "opinion",
    "reaction",
    "response",
    "comment",
    "comments",
    "line",
)

# Verbs of a claim question: "who said X", "who denied X", "who called for X". The reporting
# verbs of attribution, in every form it knows, plus the prepositional ones a question adds.
CLAIM_VERBS: Final = tuple(
    sorted(
        {form for forms, _, _ in lexicon.REPORTING_VERBS.values() for form in forms}
        | {
            "called for",
            "calls for",
            "call for",
            "asked for",
            "appealed for",
            "pressed for",
            "pushed for",
            "argued for",
            "demanded",
            "thinks",
            "believes",
            "was quoted as saying",
            "were quoted as saying",
            "is quoted as saying",
        }
    )
)

# Speakers named only by a generic word: a question "what did officials say about X" asks
# about X from anyone, not about a speaker called "officials". Compared after the
# determiners below are removed ("the officials", "some experts").
GENERIC_SPEAKERS: Final = frozenset(
    """
        anyone anybody everyone everybody someone somebody people they others he she it
        we you officials experts analysts critics leaders politicians observers sources
        authorities diplomats governments countries media journalists reporters press
        world
    """.split()
)
SPEAKER_DETERMINERS: Final = frozenset({"the", "a", "an", "all", "any", "some", "other", "those"})

# Words that do not count for an acronym ("World Health Organization" is WHO, "Syrian
# Observatory for Human Rights" is SOHR).
ACRONYM_SKIPS: Final = frozenset({"of", "for", "the", "and", "on", "in", "to", "de", "&"})

# Suffixes after a family name that are not the family name ("Donald Trump Jr.").
NAME_SUFFIXES: Final = frozenset({"jr", "sr", "ii", "iii", "iv", "junior", "senior"})

# The frames, most specific first. Kinds: "topic" (who said what about X), "speaker" (what
# did X say [about Y]), "claim" (who said X).
FRAMES: Final = (
    # who said what about X
    ("topic", "who else? <aux>? <say> what <about> {topic}"),
    ("topic", "who else? <aux>? <say> anything|something|much <about> {topic}"),
    ("topic", "who else? <aux>? <discuss> <about> {topic}"),
    ("topic", "who else? <aux>? mentioned|mentions|discussed|discusses|addressed|raised {topic}"),
    ("topic", "who <be>? quoted|cited <about> {topic}"),
    ("topic", "who <be>? commenting|talking|speaking <about> {topic}"),
    ("topic", "what <be> said|reported|written|claimed <about> {topic}"),
    ("topic", "what <be> the reaction|reactions|response|responses|comments to|on|about {topic}"),
    ("topic", "what do|does|did people|they say <about> {topic}"),
    ("topic", "is|are|was|were there? any? <sayings> <about> {topic}"),
    ("topic", "any? <sayings> <about> {topic}"),
    ("topic", "which {category} <discuss> <about> {topic}"),
    ("topic", "which {category} mentioned|discussed|addressed|raised {topic}"),
    ("topic", "what about {topic}"),
    ("topic", "about {topic}"),
    # what did X say about Y
    ("speaker", "what <aux> {speaker} <say> <about> {topic}"),
    ("speaker", "what <aux> {speaker} <say>"),
    ("speaker", "what <aux> {speaker} have|has? to say <about> {topic}"),
    ("speaker", "what <aux> {speaker} have|has? to say"),
    ("speaker", "what <be> said by {speaker} <about> {topic}"),
    ("speaker", "what <be> said by {speaker}"),
    ("speaker", "what {speaker} <say> <about> {topic}"),
    ("speaker", "what {speaker} <say>"),
    ("speaker", "how <aux> {speaker} <react> {topic}"),
    ("speaker", "what <be> {speaker}'s <stance> <about> {topic}"),
    ("speaker", "<aux> {speaker} <say> anything|something <about> {topic}"),
    ("speaker", "<aux> {speaker} <discuss> <about> {topic}"),
    ("speaker", "<aux> {speaker} mention|mentioned|discuss|discussed|address|raise {topic}"),
    ("speaker", "any? <sayings> from|by {speaker} <about> {topic}"),
    ("speaker", "any? <sayings> from|by {speaker}"),
    ("speaker", "who <be> {speaker}"),
    # who said X
    ("claim", "who else? <aux>? <claim_verb> that|about|of|on? {claim}"),
    ("claim", "which {category} <aux>? <claim_verb> that|about|of|on? {claim}"),
    ("claim", "did|has|have anyone|anybody|someone|somebody <say> that? {claim}"),
    ("claim", "who <be> quoted as saying that? {claim}"),
)

# Word lists the frames refer to as <name>.
FRAME_WORDS: Final = {
    "aux": AUXILIARIES,
    "be": BE,
    "say": SAY,
    "discuss": DISCUSS,
    "react": REACT,
    "about": ABOUT,
    "sayings": SAYINGS,
    "stance": STANCES,
    "claim_verb": CLAIM_VERBS,
}

# --- Topics ------------------------------------------------------------------------------

# Words of a topic that carry no topic of their own, beyond the analyzer's stopwords.
TOPIC_STOPWORDS: Final = frozenset(
    """
        whether if anything something everything may might must shall could would should
        get gets got getting gotten
    """.split()
)

# Prepositions that start a modifier of a topic: in "the arrests in Turkey" the topic is the
# arrests, and Turkey only narrows it, so the words after the first of these weigh less.
TOPIC_PREPOSITIONS: Final = frozenset(
    """
        in on near at of against from into over for by with about around across between
        during after before toward towards under within without through along among amid
        amidst outside inside beyond behind since until via per upon onto off
    """.split()
)

# Forms of one word that the analyzer's stemmer leaves apart: derived nouns ("publication"
# for "publish", "denial" for "deny") and irregular past forms ("struck", "misled"). A topic
# word finds every form of its family. Left out: families whose forms part in meaning in the
# news ("lead"/"led" and "US-led", "commit"/"commission", "defend"/"Defence Ministry",
# "resolve"/"resolution", "attend"/"attention", "offend"/"offensive", "rise"/"rose").
WORD_FAMILIES: Final = tuple(
    tuple(line.split())
    for line in """
        publish published publication publications
        deny denied denial denials
        interfere interfered interference
        decide decided decision decisions
        conclude concluded conclusion conclusions
        invade invaded invasion invasions
        explode exploded explosion explosions
        collide collided collision collisions
        destroy destroyed destruction
        apply applied application applications
        intervene intervened intervention interventions
        describe described description descriptions
        admit admitted admission admissions
        permit permitted permission
        submit submitted submission submissions
        reveal revealed revelation revelations
        repeat repeated repetition
        detain detained detention
        seize seized seizure seizures
        expel expelled expulsion expulsions
        pursue pursued pursuit
        assume assumed assumption assumptions
        consume consumed consumption
        produce produced production
        reduce reduced reduction reductions
        respond responded response responses
        mislead misleading misled
        strike strikes struck
        withdraw withdrew withdrawn withdrawal
        speak spoke spoken
        write wrote written
        give gave given
        take took taken
        break broke broken
        begin began begun
        throw threw thrown
        drive drove driven
        fly flew flown
        know knew known
        grow grew grown growth
        choose chose chosen choice
        freeze froze frozen
        steal stole stolen theft
        shoot shot
        hide hid hidden
        fight fought
        seek sought
        teach taught
        think thought
        bring brought
        catch caught
        flee fled
        hold held
        buy bought
        sell sold
        lose lost loss
        die died death deaths dead
    """.strip().splitlines()
)

# Auxiliaries and copulas: in a claim ("the accusations against the staff were baseless") a
# modifier ends where the verb begins, and what follows is the claim itself.
CLAUSE_VERBS: Final = frozenset(
    """
        is are was were be been being am has have had will would shall should may might can
        could must do does did
    """.split()
)

# Words that name the same body in a speaker's name: "the Russian army" is "the Russian
# military", and British and American spellings are one name.
SPEAKER_SYNONYMS: Final = {
    "army": "military",
    "defence": "defense",
    "organisation": "organization",
    "centre": "center",
    "programme": "program",
    "uk": "britain",
    "us": "usa",
    "america": "usa",
    # capitals that speak for their governments ("Moscow denies ...")
    "moscow": "russia",
    "ankara": "turkey",
    "damascus": "syria",
    "tehran": "iran",
    "baghdad": "iraq",
    "beijing": "china",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "washington": "usa",
    "london": "britain",
    "paris": "france",
    "berlin": "germany",
    "cairo": "egypt",
    "amman": "jordan",
    "beirut": "lebanon",
    "riyadh": "saudi",
    "doha": "qatar",
    "tokyo": "japan",
    "delhi": "india",
    "islamabad": "pakistan",
}

# Names of several words that stand for one, in a speaker's name: "the United States" is
# "the US", so it finds the "US State Department" as "Russia" finds its ministries.
SPEAKER_PHRASES: Final = {
    "united states of america": "USA",
    "united states": "USA",
    "united kingdom": "Britain",
    "united nations": "UN",
    "european union": "EU",
}

# Head nouns of a description of a person by office ("the French president", "the Russian
# foreign ministry spokeswoman"): such a phrase is matched against speakers' roles.
PERSON_ROLE_HEADS: Final = frozenset(
    """
        spokesman spokeswoman spokesperson president minister secretary ambassador envoy
        general commander chief leader director diplomat senator governor mayor premier
        chancellor prosecutor judge lawyer professor attorney adviser advisor negotiator
        chairman chairwoman king queen prince emir pope head official representative
    """.split()
)

# Contractions a question may open with, read in full.
CONTRACTIONS: Final = {
    "what's": "what is",
    "who's": "who is",
    "what're": "what are",
    "what've": "what have",
    "what'd": "what did",
    "whats": "what is",
    "whos": "who is",
}
