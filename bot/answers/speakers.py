"""Speakers named in a question, found among the corpus's speakers by any of their names.

Names are compared case- and accent-insensitively, word by word through the one analyzer (so
"Russian" is "Russia" and "Defence" is "Defense" give or take a letter), with a typo allowed in
longer words ("Zaharova"), by family name for people ("Mr Blair", "Lord Goldsmith"), by acronym
("WHO" is the "World Health Organization"), through the usual other names of a body ("Moscow"
for Russia, "the army" for "the military"; bot.questions_lexicon), and, for a person described
by office ("the French president"), by their roles. A body named in the question also finds the
bodies inside it: "Russia" finds the "Russian Defense Ministry".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz, process

from bot import questions_lexicon
from bot.attribution import Speaker
from bot.corpus import Corpus
from bot.corpus.lookups import Name, SpeakerNames, person_parts, read_name, similar
from bot.terms import fold

_SUGGESTION_CUTOFF = 80  # rapidfuzz ratio for "did you mean" speaker names


class Fit(IntEnum):
    """How well a speaker's name fits the name in a question; higher is closer."""

    ROLE = 0  # the question describes the person by office ("the French president")
    PART = 1  # a body inside the one asked about ("Russia": its ministry), or named more fully
    NAME = 2  # the same person by family name, or the same name but for a typo
    EXACT = 3  # the same name, spelling variant or acronym


@dataclass(frozen=True)
class SpeakerMatch:
    speaker: Speaker
    fit: Fit


def find_speakers(corpus: Corpus, phrase: str) -> tuple[SpeakerMatch, ...]:
    """The corpus's speakers a phrase names, closest first; empty when it names nobody."""
    name = read_name(phrase)
    if not name.words or is_generic(phrase):
        return ()
    names = corpus.lookups.speaker_names
    matches = []
    for position in sorted(_candidates(names, name)):
        fit = _best_fit(name, names, position)
        if fit is not None:
            matches.append(SpeakerMatch(names.speakers[position], fit))
    matches.sort(key=lambda match: (-match.fit, match.speaker.name))
    return tuple(matches)


def _candidates(names: SpeakerNames, name: Name) -> set[int]:
    """The speakers that could fit the name, by the words any fit needs them to share: every
    term (same name, part of a body, or the office of a person), the last term (a body named
    more fully), the family name, or the acronym."""
    found: set[int] = set()
    if name.terms:
        found |= _sharing_every_term(names.by_term.similar, name.terms)
        if len(name.terms) >= 3:
            found |= names.by_last_term.similar(name.terms[-1])
        if _describes_office(name):
            found |= _sharing_every_term(names.by_role_term.similar, name.terms)
    family = person_parts(name.words)[1]
    if family:
        found |= names.by_family.similar(family)
    if len(name.acronym) >= 2:
        found.update(names.by_acronym.get(name.acronym, ()))
    return found


def _sharing_every_term(lookup: Callable[[str], set[int]], terms: tuple[str, ...]) -> set[int]:
    found = lookup(terms[0])
    for term in terms[1:]:
        if not found:
            break
        found &= lookup(term)
    return found


def names_speaker(corpus: Corpus, phrase: str) -> bool:
    """Whether a phrase on its own is a speaker's name (not just part of one)."""
    return any(match.fit >= Fit.NAME for match in find_speakers(corpus, phrase))


def is_generic(phrase: str) -> bool:
    """Whether a phrase names no one in particular ("officials", "people", "anyone")."""
    words = [w for w in fold(phrase).split() if w not in questions_lexicon.SPEAKER_DETERMINERS]
    return bool(words) and all(w in questions_lexicon.GENERIC_SPEAKERS for w in words)


def close_speaker_names(corpus: Corpus, phrase: str, limit: int = 3) -> tuple[str, ...]:
    """Speakers' names that look like a phrase, for a "did you mean" reply: the phrase against
    each name and alias, and against each person's family name."""
    names = corpus.lookups.speaker_names
    found = process.extract(
        fold(phrase),
        names.suggestions,
        scorer=fuzz.ratio,
        score_cutoff=_SUGGESTION_CUTOFF,
        limit=20,
    )
    return tuple(dict.fromkeys(names.suggested_names[at] for _, _, at in found))[:limit]


def _best_fit(name: Name, names: SpeakerNames, position: int) -> Fit | None:
    person = names.speakers[position].kind == "person"
    aliases = names.aliases(position)
    best: Fit | None = None
    for alias in aliases:
        fit = _fit(name, alias, person)
        if fit is not None and (best is None or fit > best):
            best = fit
    # Part of a person's name is their name ("Maria"); part of a person's alias may be a
    # role ("Russian President Vladimir Putin"), and a role does not make Putin "Russia".
    if best is None and _contains(aliases[0].terms, name.terms):
        best = Fit.PART
    if best is None and person and _describes_office(name) and _holds_office(names, position, name):
        best = Fit.ROLE
    return best


def _holds_office(names: SpeakerNames, position: int, name: Name) -> bool:
    return any(_contains(role.terms, name.terms) for role in names.roles(position))


def _describes_office(name: Name) -> bool:
    """Whether a phrase describes a person by office: "the Russian foreign ministry
    spokeswoman", not "Russia's Foreign Ministry" (a body) nor "Zakharova" (a name)."""
    return bool(name.words) and name.words[-1] in questions_lexicon.PERSON_ROLE_HEADS


def _fit(asked: Name, known: Name, person: bool) -> Fit | None:
    if not known.words:
        return None
    if _same_terms(asked.terms, known.terms) or _same_acronym(asked, known):
        return Fit.EXACT
    if person and _same_person(asked.words, known.words):
        return Fit.NAME
    if not person and (_contains(known.terms, asked.terms) or _narrower(asked, known)):
        return Fit.PART
    return None


def _narrower(asked: Name, known: Name) -> bool:
    """Whether the question names a body more fully than the corpus does: "the Syrian army's
    General Command" for "General Command" (the same head noun, and every word of a known
    name of two words or more) but not "the Russian Defense Ministry" for "Russia", nor "the
    Israeli army" for a body once called "the army"."""
    return (
        2 <= len(known.terms) < len(asked.terms)
        and similar(known.terms[-1], asked.terms[-1])
        and _contains(asked.terms, known.terms)
    )


def _same_terms(asked: tuple[str, ...], known: tuple[str, ...]) -> bool:
    return len(asked) == len(known) and _contains(known, asked) and _contains(asked, known)


def _contains(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return bool(part) and all(any(similar(p, w) for w in whole) for p in part)


def _same_acronym(asked: Name, known: Name) -> bool:
    if asked.written_as_acronym and not known.written_as_acronym:
        return len(asked.acronym) >= 2 and asked.acronym == known.acronym
    if known.written_as_acronym and not asked.written_as_acronym:
        return len(known.acronym) >= 2 and asked.acronym == known.acronym
    return False


def _same_person(asked: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Same family name, and no given names that differ ("Peter Goldsmith", "Lord Goldsmith")."""
    asked_given, asked_family = person_parts(asked)
    known_given, known_family = person_parts(known)
    if not asked_family or not known_family or not similar(asked_family, known_family):
        return False
    if not asked_given or not known_given:
        return True
    first, other = asked_given[0], known_given[0]
    if len(first) == 1 or len(other) == 1:  # an initial: "J. Clapper"
        return first[0] == other[0]
    return similar(first, other)
