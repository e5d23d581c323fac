"""Linguistic knowledge as data: the tables every stage reads, kept in one reviewable place.

Each table says what it is for. Entries are plain strings a linguist can review; code in the
stages turns them into matchers. Nothing here runs logic of its own.
"""

from typing import Final

# --- Documents: what news pages leave behind -----------------------------------------------

# Characters that render as a space: normalised one-for-one to " " so offsets stay the same.
ODD_SPACES: Final = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
)

# Characters that render as nothing: one-for-one to " " as well (then trimmed at the edges).
INVISIBLE_CHARACTERS: Final = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Site boilerplate: a line containing one of these phrases (case-insensitive) is not article text.
BOILERPLATE_PHRASES: Final = (
    "can also be accessed at the following alternate addresses",
    "all rights reserved",
    "follow us on",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "download our app",
    "download the app",
    "get short url",
    "click here to",
    "comment via facebook",
    "community standards",
    "share this article",
    "share on facebook",
    "share on twitter",
    "read more:",
    "related articles",
    "this article was originally published",
)

# App-store and platform names: a short line made of such names is an app-store line.
APP_STORE_WORDS: Final = (
    "app store",
    "google play",
    "roku",
    "apple tv",
    "android",
    "ios",
    "amazon fire",
    "windows phone",
    "blackberry",
)

# Separators of a navigation breadcrumb ("News / Russia / News").
BREADCRUMB_SEPARATORS: Final = (" / ", " > ", " » ", " › ", " | ")

# Photo credits: a line ending with one of these forms is a caption (credit removed).
PHOTO_CREDIT_PATTERNS: Final = (
    r"©\s*[\w .&/-]{1,40}",
    r"\((?:AP|AFP|Reuters|Getty|EPA|Getty Images|File)?\s*(?:Photo|Image|File photo)[^)]{0,60}\)",
    r"(?:Photo|Image|Picture)\s*(?:credit)?\s*:\s*[\w .&/-]{1,40}",
    r"(?:AP|AFP|Reuters|EPA|Getty Images)\s+Photo(?:\s*/\s*[\w .-]{1,40})?",
)
# What every photo credit above holds, in any case: a line without any of these has no credit.
PHOTO_CREDIT_WORDS: Final = ("©", "photo", "image", "picture")

# Quotation marks and apostrophes: curly forms are kept in the text, and read as straight ones.
DOUBLE_QUOTES: Final = '"“”„‟«»'
OPENING_DOUBLE_QUOTES: Final = "“„‟«"
CLOSING_DOUBLE_QUOTES: Final = "”»"
APOSTROPHES: Final = "'’‘`´ʼ"

# Sentence-final punctuation (with closing quotes and brackets allowed after it).
SENTENCE_FINAL: Final = ".!?:…"

# News outlets, for "(Reuters) -" datelines, "| Jordan Times" title suffixes, "- REUTERS"
# sign-offs, and for telling an outlet that reports apart from the person who spoke.
OUTLETS: Final = (
    "Reuters",
    "AFP",
    "Agence France-Presse",
    "AP",
    "Associated Press",
    "BBC",
    "BBC News",
    "CNN",
    "NBC News",
    "CBS News",
    "ABC News",
    "Fox News",
    "Bloomberg",
    "The Guardian",
    "The New York Times",
    "The Washington Post",
    "Press TV",
    "PressTV",
    "TRT World",
    "Sputnik",
    "RT",
    "Russia Today",
    "TASS",
    "Interfax",
    "RIA Novosti",
    "Al Jazeera",
    "Al-Alam",
    "Al Arabiya",
    "Jordan Times",
    "Ahram Online",
    "Anadolu Agency",
    "Xinhua",
    "SANA",
    "FNA",
    "Fars News Agency",
    "IRNA",
    "Tasnim",
    "Newsnight",
)

# Sites whose name ends a scraped page title ("Suspected gas attack kills 58 - YouTube"):
# datasets glue such titles into the text, so the words after "- YouTube" start a headline.
TITLE_SITES: Final = (
    "YouTube",
    "Twitter",
    "Facebook",
    "Instagram",
    "Telegram",
    "TikTok",
    "Google News",
    "Yahoo News",
    "MSN",
)

# --- Dates --------------------------------------------------------------------------------

MONTHS: Final = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

WEEKDAYS: Final = (
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
)

# --- Sentences ----------------------------------------------------------------------------

# Abbreviations that never end a sentence in news copy, lowercase and without the final
# period, as NLTK's Punkt stores them ("u.s" for "U.S.").
NEWS_ABBREVIATIONS: Final = frozenset(
    {
        # titles and honorifics
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "rev",
        "fr",
        "st",
        "sr",
        "jr",
        "hon",
        "amb",
        # military and police ranks
        "gen",
        "maj",
        "lt",
        "col",
        "capt",
        "cpt",
        "cmdr",
        "cdr",
        "adm",
        "brig",
        "sgt",
        "cpl",
        "pvt",
        "lieut",
        "insp",
        "supt",
        # offices
        "sen",
        "rep",
        "gov",
        "pres",
        "sec",
        "atty",
        "dep",
        # months
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        # places and bodies
        "u.s",
        "u.n",
        "u.k",
        "e.u",
        "u.s.a",
        "u.a.e",
        "d.c",
        "mt",
        "ft",
        "ave",
        "blvd",
        # companies and misc
        "no",
        "nos",
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "bros",
        "dept",
        "est",
        "approx",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    }
)

# --- Index terms --------------------------------------------------------------------------

# Words that carry no topic: removed from documents and questions alike. Includes the words of
# question frames ("who said what about"), contractions written without their apostrophe as
# scraped text often has them ("dont"), and name particles that mean nothing alone ("al").
STOPWORDS: Final = frozenset(
    """
        a about above after again against all also am an and any anything are aren arent
        as at be because been before being below between both but by can cannot could
        couldn did didn didnt do does doesn doesnt doing don dont down during each
        either else ever every few for from further had hadn hadnt has hasn hasnt have
        haven havent having he hed hes her here hers herself him himself his how i id
        ill im ive if in into is isn isnt it its itself just let lets me might more most
        must mustn my myself neither no nor not now of off on once only or other ought
        our ours ourselves out over own same shan she shed shes should shouldn shouldnt
        so some such than that thats the their theirs them themselves then there theres
        these they theyd theyll theyre theyve this those through to too under until up
        upon us very was wasn wasnt we wed were weren werent weve what whats when where
        which while who whom whose why will with won wont would wouldn wouldnt yet you
        youd youll youre youve your yours yourself yourselves who's what's anyone
        anybody someone somebody something everything nothing al el say says said saying
        tell tells told talk talked talking mention mentioned mentions quote quotes
        quoted comment comments commented statement statements
    """.split()
)

# Demonyms and adjectives read as the country or body they name, so "Turkish" finds "Turkey".
DEMONYMS: Final = {
    "afghan": "afghanistan",
    "american": "america",
    "british": "britain",
    "chinese": "china",
    "egyptian": "egypt",
    "french": "france",
    "german": "germany",
    "indian": "india",
    "iranian": "iran",
    "iraqi": "iraq",
    "israeli": "israel",
    "japanese": "japan",
    "jordanian": "jordan",
    "kurdish": "kurd",
    "lebanese": "lebanon",
    "libyan": "libya",
    "palestinian": "palestine",
    "russian": "russia",
    "saudi": "saudi",
    "syrian": "syria",
    "turkish": "turkey",
    "ukrainian": "ukraine",
    "yemeni": "yemen",
    "european": "europe",
    "qatari": "qatar",
    "emirati": "emirates",
    "pakistani": "pakistan",
    "korean": "korea",
    "canadian": "canada",
    "australian": "australia",
    "italian": "italy",
    "spanish": "spain",
    "polish": "poland",
    "dutch": "netherlands",
    "greek": "greece",
    "cuban": "cuba",
    "mexican": "mexico",
    "venezuelan": "venezuela",
    "brazilian": "brazil",
    "nigerian": "nigeria",
    "kenyan": "kenya",
    "ethiopian": "ethiopia",
    "somali": "somalia",
    "sudanese": "sudan",
    "tunisian": "tunisia",
    "algerian": "algeria",
    "moroccan": "morocco",
    "azerbaijani": "azerbaijan",
    "armenian": "armenia",
    "georgian": "georgia",
    "belarusian": "belarus",
    "kazakh": "kazakhstan",
    "uzbek": "uzbekistan",
}

# Acronyms written in capitals (with or without periods) that would otherwise read as common
# words ("US" is not "us"). Keyed by the letters in capitals; the value is the index term.
ACRONYM_TERMS: Final = {
    "US": "usa",
    "USA": "usa",
    "UN": "un",
    "UK": "uk",
    "EU": "eu",
    "UAE": "uae",
}

# --- Attribution: reporting verbs ------------------------------------------------------------

# Reporting verbs by lemma, with the inflected forms news copy uses. A verb with
# `needs_clause` counts only with a that-clause or quotation marks after it ("she believes
# that ...", not "she believes in God"); a verb with `speech_act` makes a statement even
# without a clause ("Russia denied any involvement"): its object is what was said.
REPORTING_VERBS: Final = {
    # lemma: (forms, needs_clause, speech_act)
    "say": (("say", "says", "said", "saying"), False, False),
    "tell": (("tell", "tells", "told", "telling"), False, False),
    "comment": (
        (
            "comment",
            "comments",
            "commented",
            "commenting",
            "made the comments",
            "made the remarks",
            "make the comments",
            "makes the comments",
        ),
        False,
        False,
    ),
    "add": (("add", "adds", "added", "adding"), False, False),
    "state": (("states", "stated", "stating"), False, False),  # "state" is mostly a noun
    "stress": (("stress", "stresses", "stressed", "stressing"), False, True),
    "insist": (("insist", "insists", "insisted", "insisting"), False, False),
    "warn": (("warn", "warns", "warned", "warning"), False, True),
    "accuse": (("accuse", "accuses", "accused", "accusing"), False, True),
    "deny": (("deny", "denies", "denied", "denying"), False, True),
    "claim": (("claim", "claims", "claimed", "claiming"), False, False),
    "note": (("note", "notes", "noted", "noting"), False, False),
    "mention": (("mention", "mentions", "mentioned", "mentioning"), False, True),
    "argue": (("argue", "argues", "argued", "arguing"), False, False),
    "censure": (("censure", "censures", "censured", "censuring"), False, True),
    "urge": (("urge", "urges", "urged", "urging"), False, True),
    "announce": (("announce", "announces", "announced", "announcing"), False, True),
    "confirm": (("confirm", "confirms", "confirmed", "confirming"), False, True),
    "report": (("report", "reports", "reported", "reporting"), False, True),
    "explain": (("explain", "explains", "explained", "explaining"), False, False),
    "suggest": (("suggest", "suggests", "suggested", "suggesting"), False, False),
    "acknowledge": (("acknowledge", "acknowledges", "acknowledged", "acknowledging"), False, True),
    "admit": (("admit", "admits", "admitted", "admitting"), False, True),
    "allege": (("allege", "alleges", "alleged", "alleging"), False, False),
    "assert": (("assert", "asserts", "asserted", "asserting"), False, False),
    "declare": (("declare", "declares", "declared", "declaring"), False, False),
    "reiterate": (("reiterate", "reiterates", "reiterated", "reiterating"), False, True),
    "repeat": (("repeat", "repeats", "repeated", "repeating"), False, True),
    "reaffirm": (("reaffirm", "reaffirms", "reaffirmed", "reaffirming"), False, True),
    "condemn": (("condemn", "condemns", "condemned", "condemning"), False, True),
    "criticise": (
        (
            "criticise",
            "criticises",
            "criticised",
            "criticising",
            "criticize",
            "criticizes",
            "criticized",
            "criticizing",
        ),
        False,
        True,
    ),
    "blame": (("blame", "blames", "blamed", "blaming"), False, True),
    "reject": (("reject", "rejects", "rejected", "rejecting"), False, True),
    "dismiss": (("dismiss", "dismisses", "dismissed", "dismissing"), False, True),
    "demand": (("demand", "demands", "demanded", "demanding"), False, True),
    "emphasise": (
        (
            "emphasise",
            "emphasises",
            "emphasised",
            "emphasising",
            "emphasize",
            "emphasizes",
            "emphasized",
            "emphasizing",
        ),
        False,
        True,
    ),
    "highlight": (("highlight", "highlights", "highlighted", "highlighting"), False, True),
    "express": (("express", "expresses", "expressed", "expressing"), False, True),
    "voice": (("voice", "voices", "voiced", "voicing"), False, True),
    "describe": (("describe", "describes", "described", "describing"), False, True),
    "call": (("call", "calls", "called", "calling"), True, False),
    "join": (("joined calls", "joins calls", "join calls", "joining calls"), False, True),
    "label": (("label", "labels", "labelled", "labeled", "labelling", "labeling"), False, True),
    "welcome": (("welcome", "welcomes", "welcomed", "welcoming"), False, True),
    "praise": (("praise", "praises", "praised", "praising"), False, True),
    "promise": (("promise", "promises", "promised", "promising"), False, False),
    "pledge": (("pledge", "pledges", "pledged", "pledging"), False, False),
    "vow": (("vow", "vows", "vowed", "vowing"), False, False),
    "threaten": (("threaten", "threatens", "threatened", "threatening"), False, False),
    "predict": (("predict", "predicts", "predicted", "predicting"), False, False),
    "estimate": (("estimate", "estimates", "estimated", "estimating"), True, False),
    "complain": (("complain", "complains", "complained", "complaining"), False, False),
    "concede": (("concede", "concedes", "conceded", "conceding"), False, False),
    "reply": (("reply", "replies", "replied", "replying"), False, False),
    "respond": (("respond", "responds", "responded", "responding"), True, False),
    "answer": (("answer", "answers", "answered", "answering"), True, False),
    "ask": (("ask", "asks", "asked", "asking"), True, False),
    "write": (("write", "writes", "wrote", "writing"), True, False),
    "tweet": (("tweet", "tweets", "tweeted", "tweeting"), False, False),
    "recall": (("recall", "recalls", "recalled", "recalling"), True, False),
    "maintain": (("maintain", "maintains", "maintained", "maintaining"), True, False),
    "contend": (("contend", "contends", "contended", "contending"), False, False),
    "charge": (("charge", "charges", "charged", "charging"), True, False),
    "quip": (("quip", "quips", "quipped", "quipping"), False, False),
    "indicate": (("indicate", "indicates", "indicated", "indicating"), True, False),
    "point": (("point out", "points out", "pointed out", "pointing out"), False, False),
    "brush": (("brush aside", "brushes aside", "brushed aside", "brushing aside"), False, True),
    "laugh": (("laugh off", "laughs off", "laughed off", "laughing off"), False, True),
    "touch": (("touch on", "touches on", "touched on", "touching on"), False, True),
    # a figure given as one's own count: "WHO said ..., putting the death toll at 70"
    "put": (
        tuple(
            f"{verb} the {figure} at"
            for verb in ("put", "puts", "putting")
            for figure in ("death toll", "toll", "number of dead", "number of casualties")
        ),
        False,
        True,
    ),
    # verbs of belief: only with a that-clause or a quotation ("she fears that ...")
    "think": (("think", "thinks", "thought", "thinking"), True, False),
    "believe": (("believe", "believes", "believed", "believing"), True, False),
    "hope": (("hope", "hopes", "hoped", "hoping"), True, False),
    "fear": (("fear", "fears", "feared", "fearing"), True, False),
    "feel": (("feel", "feels", "felt", "feeling"), True, False),
    "expect": (("expect", "expects", "expected", "expecting"), True, False),
}

# Verbs that take the speaker after them in news copy (`"...," said X`, `asked X`); after
# any other verb the phrase that follows is its object ("..., charged Manafort").
INVERTIBLE_VERBS: Final = frozenset(
    {
        "say",
        "add",
        "ask",
        "reply",
        "write",
        "explain",
        "insist",
        "note",
        "state",
        "declare",
        "answer",
        "continue",
        "comment",
        "claim",
        "report",
    }
)

# Verbs that only report a speech act and carry no content of their own: with them, the
# content is the following ", saying (that) ..." clause ("made the comments ..., saying that").
CONTENTLESS_SPEECH: Final = (
    "made the comments",
    "made the remarks",
    "make the comments",
    "makes the comments",
    "commented",
)

# Forms of "be": before a reporting verb they make it passive ("Turkey is accused of ..."),
# and a passive claim with no agent has no speaker.
PASSIVE_AUXILIARIES: Final = frozenset({"is", "are", "was", "were", "be", "been", "being"})

# Phrases that make the speaker of a following clause: "according to X", "in the words of X".
SOURCE_PREPOSITIONS: Final = ("according to", "in the words of", "as quoted by")

# Passive and quoted frames whose subject is the speaker: "X was quoted as saying".
QUOTED_AS: Final = ("was quoted as saying", "is quoted as saying", "were quoted as saying")

# --- Attribution: who can speak ---------------------------------------------------------------

# Personal pronouns that can stand for a speaker, with the gender they imply.
PRONOUN_GENDER: Final = {"he": "male", "she": "female", "it": "neuter", "they": "plural"}

# Honorifics and words that tell a person's gender.
GENDER_WORDS: Final = {
    "mr": "male",
    "mr.": "male",
    "lord": "male",
    "sir": "male",
    "king": "male",
    "prince": "male",
    "spokesman": "male",
    "chairman": "male",
    "congressman": "male",
    "mrs": "female",
    "mrs.": "female",
    "ms": "female",
    "ms.": "female",
    "miss": "female",
    "lady": "female",
    "baroness": "female",
    "dame": "female",
    "queen": "female",
    "princess": "female",
    "spokeswoman": "female",
    "chairwoman": "female",
    "congresswoman": "female",
}

# Common first names with their usual gender, for pronoun agreement. A name not listed
# leaves the gender unknown; unknown never blocks a match, it only loses to a known one.
FIRST_NAMES: Final = {
    "female": """
        maria mary anna anne angela theresa hillary nikki federica clare cherie margaret
        elizabeth catherine christine marine ursula kamala nancy susan sarah sara julia
        yulia natalia olga svetlana irina valentina tatiana elena helen helena emma
        emily hannah laura lisa linda karen barbara jennifer jessica michelle samantha
        condoleezza madeleine nadia fatima aisha leila layla hadiya samira amal rania
        sonia sophie marie claire jacinda tsai mette sanna kaja kristalina
    """.split(),
    "male": """
        vladimir sergei sergey dmitry dmitri igor ivan alexei alexey alexander mikhail
        maxim yuri nikolai viktor andrei andrey boris donald barack george john james
        michael robert william david richard thomas charles joseph mark paul peter
        steven steve sean mike tony gordon philippe francois emmanuel nicolas jacques
        recep tayyip mevlut binali ahmet bashar walid hassan hussein ali mohammad
        mohamad mohammed muhammad ahmad ahmed abdul omar khalid salman benjamin ehud
        ariel rex mike menzies robin michael jack jean pierre angelo xi li wang narendra
        imran jens antonio ban kofi fethullah abu
    """.split(),
}

# Words that make a noun phrase a description of a person by office or role. They may stand
# in lowercase inside a speaker's phrase ("the Russian official", "former foreign secretary").
ROLE_WORDS: Final = frozenset(
    """
        spokesman spokeswoman spokesperson spokespeople official officials minister
        ministers secretary president vice prime foreign defense defence interior
        affairs general chief head director executive leader leaders commander
        ambassador envoy representative senator governor mayor former ex top senior
        deputy acting military army government agency council committee coalition
        opposition monitor group monitoring state news presidential diplomatic
        intelligence security national international human rights health attorney
        solicitor counsel special chairman chairwoman party negotiator media observatory
        ministry office department lawmaker lawmakers legislator legislators member
        members prosecutor prosecutors judge judges police commissioner inspector
        investigator investigators analyst diplomat diplomats aide aides adviser
        advisers advisor advisors staff press service services service chancellor
        premier king queen prince emir sheikh cleric ayatollah pope bishop general
        lieutenant colonel major captain sergeant admiral marshal brigadier commanders
        forces force military's regime administration campaign manager professor doctor
        economist lawyer lawyers attorneys court tribunal watchdog organisation
        organization union federation association institute centre center foundation
        body authority authorities desk bureau commission inquiry panel board company
        firm bank fund central federal regional local provincial municipal assistant
        associate principal emeritus interim incoming outgoing then-president
    """.split()
)

# Courtesy and professional titles that stand before a name and are not part of it.
TITLES: Final = frozenset(
    """
        mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady baroness baron
        president vice prime minister secretary general gen gen. major maj maj.
        lieutenant lt lt. colonel col col. captain capt capt. sergeant sgt sgt. admiral
        adm adm. marshal brigadier brig brig. commander cmdr senator sen sen.
        representative rep rep. governor gov gov. mayor ambassador judge justice king
        queen prince princess emir sheikh ayatollah pope chancellor premier chairman
        chairwoman director chief spokesman spokeswoman
    """.split()
)

# Titles kept in a name when no first name is known: peers are named by their title.
NAME_KEEPING_TITLES: Final = frozenset({"lord", "lady", "baroness", "baron", "sir", "dame"})

# Particles inside names ("Walid al-Muallem", "Ursula von der Leyen").
NAME_PARTICLES: Final = frozenset(
    """
        al el bin ibn abu de da di du del della van von der den la le ter st
    """.split()
)

# Head words that make a name an organisation, a government or a body rather than a person.
ORGANISATION_HEADS: Final = frozenset(
    """
        ministry ministries office department agency council committee commission
        coalition government army military forces force navy police observatory
        organisation organization house kremlin nations union party parliament congress
        senate court tribunal embassy consulate mission group network agency service
        services bank fund company corporation foundation institute center centre
        federation association alliance administration command authority authorities
        board panel inquiry regime cabinet opposition front movement brigade brigades
        battalion monitor channel television radio newspaper show body bloc watchdog
    """.split()
)

# Country and capital names that speak for their governments ("Moscow denies", "Russia says").
PLACES_AS_SPEAKERS: Final = frozenset(
    """
        russia moscow turkey ankara syria damascus iran tehran iraq baghdad israel
        washington america china beijing britain london france paris germany berlin
        ukraine kyiv kiev egypt cairo jordan amman lebanon beirut saudi arabia riyadh
        qatar doha japan tokyo india delhi pakistan islamabad europe brussels canada
        ottawa italy rome spain madrid
    """.split()
) | frozenset(
    {
        "united states",
        "united kingdom",
        "united nations",
        "european union",
        "white house",
        "downing street",
        "number 10",
        "whitehall",
        "pentagon",
        "kremlin",
        "capitol hill",
    }
)

# Words that open an introductory phrase before a subject ("In another development on
# Tuesday, X said ..."): a short stretch starting with one of them is not a statement.
INTRODUCTION_WORDS: Final = frozenset(
    """
    in on at earlier elsewhere meanwhile later after before during separately also however
    speaking asked last this on yesterday today but and while when since following amid
    """.split()
)

# Words that open a parenthesis between a speaker and the verb ("Peskov, when asked ...,
# said"; "Clare Short, who resigned ..., said"; "Peter Salama, the WHO's director, said").
PARENTHESIS_OPENERS: Final = frozenset(
    "who whose which when while a an the asked speaking being himself herself itself".split()
)

# Words that negate a reporting verb just before it ("did not say", "declined to comment").
NEGATIONS: Final = frozenset({"not", "never", "n't", "declined", "refused", "without"})

# Participles after a reporting verb that describe circumstances, not what was said
# ("the agency said citing the army"): the statement stands before the speaker.
CIRCUMSTANCE_PARTICIPLES: Final = frozenset(
    "citing quoting referring speaking responding commenting answering writing".split()
)

# Those of them that name whose words the speaker passes on ("the agency said citing the
# General Command"): the source named after them made the statement too.
SOURCE_PARTICIPLES: Final = frozenset({"citing", "quoting"})

# Conjunctions that join a second clause of the same speaker after an attribution
# ("..., said Peskov, but Moscow was following it with interest").
CLAUSE_CONJUNCTIONS: Final = frozenset({"but", "and", "because", "although", "though", "yet"})

# Subordinating words that start circumstances after a reporting verb ("..., X said, when
# asked whether ...").
SUBORDINATORS: Final = frozenset("when while as after before because although since".split())

# Audiences and occasions a statement is told to ("told his monthly press conference ...",
# "told reporters ..."): the phrase after "tell" that ends in one of them is the addressee.
AUDIENCE_NOUNS: Final = frozenset(
    """
    reporters journalists conference briefing meeting audience parliament mps lawmakers
    senators congress committee house commons lords session interviewer interview
    newspaper television radio bbc cnn reuters afp show programme program rally crowd
    supporters delegates summit press investigators prosecutors police jurors court
    """.split()
)

# Descriptions that name a body well enough on their own when nothing earlier fits:
# "the government" is the government of the article's country.
SELF_NAMING_DESCRIPTIONS: Final = frozenset({"government", "cabinet", "parliament", "police"})

# Heads after a possessive that make the possessor the speaker: "Mr Sands' book suggests",
# "the ministry's statement said", "Putin's spokesman said".
PROXY_HEADS: Final = frozenset(
    """
    book statement report letter article memoir tweet post spokesman spokeswoman
    spokesperson office lawyer lawyers
    """.split()
)

# Works that speak for their author once the article says whose they are ("In his new
# book, Philippe Sands suggests ... . The book says ..."): "the book" is then the author.
AUTHORED_WORKS: Final = frozenset({"book", "memoir", "memoirs", "letter", "article"})

# Possessive determiners that give a work its owner, with the speaker they agree with.
POSSESSIVE_GENDER: Final = {"his": "male", "her": "female", "its": "neuter", "their": "plural"}

# Letters after a name that are not part of it ("Philippe Sands QC", "Tory MP").
POST_NOMINALS: Final = frozenset({"qc", "kc", "mp", "mep", "jr", "sr", "phd", "obe", "mbe"})

# Heads that make an unnamed person speak for the body named before them ("A Russian
# Defence Ministry spokesman said"): the body is the speaker.
SPOKESPERSON_HEADS: Final = frozenset(
    "spokesman spokeswoman spokesperson official representative envoy".split()
)

# Words that tie a group to no body at all ("International leaders", "Western diplomats",
# "World leaders have condemned ..."): such a group is nobody in particular.
GENERIC_GROUP_WORDS: Final = frozenset(
    "international world western global foreign regional other many".split()
)

# How many speakers a counted group stands for ("Two former top U.S. intelligence officials
# said ...", named one by one in the next sentence).
GROUP_COUNTS: Final = {
    "two": 2,
    "both": 2,
    "three": 3,
    "four": 4,
    "five": 5,
}

# Heads of phrases for groups tied to a body ("U.S. officials", "Senate Democrats").
GROUP_HEADS: Final = frozenset(
    """
    officials leaders democrats republicans conservatives tories lawmakers legislators
    members diplomats ministers senators agencies
    """.split()
)

# Sentence adverbs and conjunctions that may open a speaker's phrase without belonging to it.
SENTENCE_ADVERBS: Final = frozenset(
    """
    however but and meanwhile also so yet still moreover furthermore separately later
    earlier then now instead indeed thus
    """.split()
)

# Heads of phrases for sources nobody can identify: never a speaker ("local sources said").
ANONYMOUS_HEADS: Final = frozenset(
    """
        source sources activist activists witness witnesses resident residents expert
        experts analyst analysts observer observers report reports media medics doctors
        people person man woman someone somebody official officials insider insiders
        critic critics eyewitness eyewitnesses rescuer rescuers journalist journalists
        correspondent correspondents reporter reporters residents locals villagers
        survivors victims
    """.split()
)

# Descriptions that stand for an earlier-named speaker ("the minister", "the Russian
# official"): their head noun must fit the speaker's role or kind.
DESCRIPTION_HEADS: Final = frozenset(
    """
        official minister spokesman spokeswoman spokesperson president secretary
        ambassador envoy general commander chief leader director diplomat senator
        governor mayor ministry army military agency body statement organisation
        organization government group monitor premier chancellor prosecutor judge lawyer
        professor attorney
    """.split()
)

# Nouns of occasions and media that follow a speaker without being one ("X in an interview
# with Y said", "X told a briefing"): a phrase headed by one of them is not the speaker.
OCCASION_NOUNS: Final = frozenset(
    """
        interview statement briefing conference call speech visit meeting appearance
        letter post tweet remarks comments address session hearing summit talks event
        rally broadcast programme program show newspaper radio television tv op-ed
        article book report
    """.split()
)

# Words that may stand between a speaker and the reporting verb ("X has also said").
ADVERBS_BEFORE_VERB: Final = frozenset(
    """
        also has have had will would could may might again later earlier previously
        repeatedly reportedly categorically then now once recently further separately
        both all himself herself itself themselves however meanwhile too already
        consistently publicly privately strongly firmly flatly angrily not never always
        subsequently initially last yesterday today
    """.split()
)

DAYS_AND_TIMES: Final = frozenset(
    """
        monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
        morning afternoon evening night week month year weekend
    """.split()
)
