"""Resolution: turn speaker phrases into speakers, within an article and across the corpus.

Inside an article: a name is looked up among the article's speakers ("Zakharova" is the
"Maria Zakharova" named earlier), a pronoun goes to the last speaker it agrees with, a
description ("the Russian official") to the last speaker it fits. When nothing fits, the
statement is dropped: a wrong speaker is worse than none. Across the corpus, one canonical
speaker per person or body, with every alias and role seen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot import lexicon
from bot.attribution.model import Gender, Mention, Speaker, SpeakerKind
from bot.terms import fold

_SPELLING = {"defence": "defense", "organisation": "organization", "centre": "center"}
REMEMBERED_NAMES = 100_000  # speakers' names whose key a process keeps: articles repeat them


@dataclass
class Entity:
    """A speaker inside one article, growing as the article names it."""

    key: str
    kind: SpeakerKind
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: Gender = "unknown"
    has_spokesperson: bool = False  # a body whose unnamed official spoke: a "he" may be it

    @property
    def family_name(self) -> str:
        return _folded_words(self.names[0])[-1] if self.names else ""


class ArticleSpeakers:
    """The speakers of one article in the order they last spoke."""

    def __init__(self, captions: Sequence[str], text: str = "") -> None:
        self.entities: dict[str, Entity] = {}
        self.people_by_family: dict[str, list[Entity]] = {}  # person entities by family_name
        self.recent: list[str] = []  # keys, most recent last
        self.last: Entity | None = None
        self.captions = captions
        self.acronyms = acronyms(text)
        self.authors: dict[str, Entity] = {}  # "book": whose book the article spoke of
        self.body_words: set[str] = set()  # every word of the bodies' names and roles, casefolded

    def resolve(self, mention: Mention) -> Entity | None:
        if mention.form == "anonymous":
            return None
        if mention.form == "name":
            return self._named(mention)
        if mention.form == "pronoun":
            return self._by_pronoun(mention.gender)
        return self._by_description(mention) or self._self_naming(mention)

    def spoke(self, entity: Entity) -> None:
        self.mentioned(entity)
        self.last = entity

    def mentioned(self, entity: Entity) -> None:
        """A person named in a sentence that quotes nobody becomes the likeliest "he"."""
        if entity.key in self.recent:
            self.recent.remove(entity.key)
        self.recent.append(entity.key)

    def last_speaker(self) -> Entity | None:
        return self.last

    def describe(self, entity: Entity, role: str) -> None:
        """A role learnt for a speaker: a later "the attorney general" fits them."""
        if role not in entity.roles:
            entity.roles.append(role)
            self._learnt(entity, role)

    def unnamed(self, head: str) -> None:
        """A body the article mentions without a name we know ("a report by the Syrian state
        news agency"): a later "the agency" may be it, so it no longer reaches past it."""
        key = _unnamed_key(head)
        if key in self.recent:
            self.recent.remove(key)
        self.recent.append(key)

    def _learnt(self, entity: Entity, words: str) -> None:
        if entity.kind != "person":
            self.body_words.update(words.casefold().split())

    def knows(self, name: str, kind: SpeakerKind) -> bool:
        return speaker_key(self.acronyms.get(name, name), kind) in self.entities

    def _named(self, mention: Mention) -> Entity:
        assert mention.name is not None
        name = mention.name
        if name in self.acronyms:  # "The NDF official" after "National Defence Forces (NDF)"
            name = self.acronyms[name]
            mention = replace(mention, name=name, kind="organisation")
        key = speaker_key(name, mention.kind)
        existing = self.entities.get(key) or self._same_person(mention)
        if existing is None:
            existing = Entity(key, mention.kind)
            self.entities[key] = existing
        if name not in existing.names:
            family = existing.family_name
            existing.names.append(name)
            existing.names.sort(key=lambda n: -len(n.split()))
            self._learnt(existing, name)
            if existing.kind == "person":
                self._refile(existing, family)
        role = mention.role or self._caption_role(existing)
        if role and role not in existing.roles:
            existing.roles.append(role)
            self._learnt(existing, role)
        if existing.gender == "unknown":
            existing.gender = mention.gender
        existing.has_spokesperson = mention.head in lexicon.SPOKESPERSON_HEADS
        return existing

    def _same_person(self, mention: Mention) -> Entity | None:
        """'Zakharova' or 'President Erdogan' for the full name given earlier; a different
        full name with the same family name ('Cherie Blair' after 'Tony Blair') is another
        person, and so is a full name when the earlier mention was the family name alone."""
        if mention.kind != "person" or mention.name is None:
            return None
        words = _folded_words(mention.name)
        matches = [
            e
            for e in self.people_by_family.get(words[-1], ())
            if len(words) == 1 or _same_first_name(words, e)
        ]
        return matches[0] if len(matches) == 1 else None

    def _refile(self, person: Entity, family: str) -> None:
        """Keep `people_by_family` right for a person whose family name was `family`
        ("" before any name) before a name was added: the longest name gives it."""
        if person.family_name == family:
            return
        if family:
            self.people_by_family[family].remove(person)
        self.people_by_family.setdefault(person.family_name, []).append(person)

    def _caption_role(self, entity: Entity) -> str | None:
        """A caption such as "Russian Foreign Ministry spokeswoman Maria Zakharova"."""
        for name in entity.names:
            for caption in self.captions:
                if caption.endswith(" " + name):
                    return caption[: -len(name)].strip()
        return None

    def _by_pronoun(self, gender: Gender) -> Entity | None:
        for key in reversed(self.recent):
            entity = self.entities.get(key)
            if entity is None:
                continue  # an unnamed body: pronouns go on to the speakers
            if gender in ("male", "female"):
                if entity.has_spokesperson:
                    return entity
                if entity.kind != "person":
                    continue
                if entity.gender == gender:
                    return entity
                if entity.gender == "unknown":
                    entity.gender = gender
                    return entity
                continue
            if gender == "neuter" and entity.kind == "organisation":
                return entity
            if gender == "plural" and entity.kind in ("organisation", "group"):
                return entity
        return None

    def _self_naming(self, mention: Mention) -> Entity | None:
        """ "The government said" with no government named before: the government."""
        if mention.head not in lexicon.SELF_NAMING_DESCRIPTIONS:
            return None
        return self._named(replace(mention, form="name", name=mention.head, kind="organisation"))

    def described(self, mention: Mention) -> Entity | None:
        """The speaker a description stands for, without naming a new one."""
        return self._by_description(mention)

    def _by_description(self, mention: Mention) -> Entity | None:
        head = mention.head or ""
        if head in lexicon.AUTHORED_WORKS:
            return self.authors.get(head)
        modifiers = {_country(w) for w in fold(mention.role or "").split() if w != head} - {
            "the",
            "a",
            "an",
        }
        for key in reversed(self.recent):
            if key == _unnamed_key(head):
                return None  # the last such body is one we cannot name
            entity = self.entities.get(key)
            if entity is None:
                continue
            if (mention.kind == "organisation" or head == "statement") != (entity.kind != "person"):
                continue
            if (
                entity.kind == "person"
                and mention.gender in ("male", "female")
                and entity.gender not in (mention.gender, "unknown")
            ):
                continue
            described = fold(" ".join(entity.roles + entity.names))
            if head not in ("statement", "body", "group", "official") and head not in described:
                continue
            described_words = {_country(w) for w in described.replace("'s", "").split()}
            if modifiers - described_words - {"official", "top", "senior", "former"}:
                continue
            return entity
        return None


_ACRONYM_DEFINITION = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|the|on|in)\s+)*){1,8})\(([A-Z]{2,8})\)"
)
_BRACKETED_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)")  # what ends every definition
_DEFINITION_CHARACTERS = re.compile(r"[\w'’\s-]*")  # all a definition's words and spaces hold


def acronyms(text: str) -> dict[str, str]:
    """Acronyms the article defines: "National Defence Forces (NDF)" gives NDF."""
    found: dict[str, str] = {}
    backwards = ""
    for bracket in _BRACKETED_ACRONYM.finditer(text):
        # the definition is searched for only in the run of words and spaces before the
        # bracket (read backwards), not across the whole article: most of it is prose
        backwards = backwards or text[::-1]
        run = _DEFINITION_CHARACTERS.match(backwards, len(text) - bracket.start())
        assert run is not None  # a starred pattern always matches
        start = bracket.start() - (run.end() - run.start())
        match = _ACRONYM_DEFINITION.search(text, start, bracket.end())
        if match is None:
            continue
        words = match.group(1).split()
        acronym = match.group(2)
        capitals = [w for w in words if w[0].isupper()]
        # keep the last words whose initials spell the acronym (a little slack for
        # "Russian International Relations Council (RIAC)")
        for size in range(len(capitals), 0, -1):
            initials = "".join(w[0] for w in capitals[-size:])
            if initials[0] == acronym[0] and abs(len(initials) - len(acronym)) <= 1:
                start = len(words) - words[::-1].index(capitals[-size]) - 1
                found[acronym] = " ".join(words[start:])
                break
    return found


def _unnamed_key(head: str) -> str:
    return "unnamed:" + head


def _same_first_name(words: Sequence[str], entity: Entity) -> bool:
    """A full name fits an entity known by its family name alone or by the same first name;
    a title ("Lord Goldsmith") fits whoever bears the family name."""
    first = words[0]
    known_first_names = {_folded_words(name)[0] for name in entity.names if " " in name}
    return not known_first_names or first in known_first_names or first in lexicon.TITLES


@lru_cache(maxsize=REMEMBERED_NAMES)
def _folded_words(name: str) -> tuple[str, ...]:
    """The words of a speaker's name as the index folds them: an article compares its
    speakers' names at every statement, so each name is folded once."""
    return tuple(fold(name).split())


def _country(word: str) -> str:
    word = word.replace("'s", "").replace("’s", "")
    return lexicon.DEMONYMS.get(word, word)


_POSSESSIVE_S = re.compile(r"['’]s\b")


@lru_cache(maxsize=REMEMBERED_NAMES)
def speaker_key(name: str, kind: SpeakerKind) -> str:
    """The same key for every way of writing one speaker's name."""
    words = _POSSESSIVE_S.sub("", fold(name)).replace(".", "").split()
    words = [_SPELLING.get(w, w) for w in words if w not in {"the", "a", "an"}]
    if kind == "person":
        return "person:" + " ".join(words)
    return "body:" + " ".join(lexicon.DEMONYMS.get(w, w) for w in words)


@dataclass
class CorpusSpeakers:
    """Speakers across the corpus: article entities merged into canonical speakers.

    What the entities of one key say is kept summed as they are added (the kind first given,
    each name with how many entities gave it, the roles in order), so that many articles'
    entities cost one summary, not a list of names each."""

    kinds: dict[str, SpeakerKind] = field(default_factory=dict)
    names: dict[str, dict[str, int]] = field(default_factory=dict)
    roles: dict[str, dict[str, None]] = field(default_factory=dict)

    def add(self, entities: Iterable[Entity]) -> None:
        for entity in entities:
            self.add_summary(entity.key, entity.kind, Counter(entity.names), entity.roles)

    def add_summary(
        self, key: str, kind: SpeakerKind, names: Mapping[str, int], roles: Iterable[str]
    ) -> None:
        """Entities of one key at once: each name with how many of them gave it."""
        counted = self.names.get(key)
        if counted is None:
            self.kinds[key] = kind
            self.names[key] = dict(names)
            self.roles[key] = dict.fromkeys(roles)
            return
        for name, count in names.items():
            counted[name] = counted.get(name, 0) + count
        self.roles[key].update(dict.fromkeys(roles))

    def canonical(self) -> dict[str, Speaker]:
        """Canonical speakers, keyed by every article key that maps to them."""
        speakers: dict[str, Speaker] = {}
        for key, short in self._merge_family_names().items():
            names, roles = self.names[key], self.roles[key]
            if short is not None:
                names = dict(names)
                for name, count in self.names[short].items():
                    names[name] = names.get(name, 0) + count
                roles = {**roles, **self.roles[short]}
            full = (
                next(iter(names))
                if len(names) == 1  # most speakers: no choice to weigh
                else max(names, key=lambda n: (len(n.split()) > 1, names[n], len(n)))
            )
            speaker = Speaker(
                key=key,
                name=full,
                kind=self.kinds[key],
                aliases=tuple(sorted(names)),
                roles=tuple(roles),
            )
            speakers[key] = speaker
            if short is not None:
                speakers[short] = speaker
        return speakers

    def _merge_family_names(self) -> dict[str, str | None]:
        """'person:zakharova' joins 'person:maria zakharova' when only one person fits: each
        key that stays, with the short key that joins it."""
        merged: dict[str, str | None] = dict.fromkeys(self.kinds)
        fuller_by_family: dict[str, list[str]] = {}
        for key in merged:
            if key.startswith("person:") and " " in key:
                fuller_by_family.setdefault(key.rsplit(" ", 1)[1], []).append(key)
        singles = [k for k in merged if k.startswith("person:") and " " not in k]
        for short in singles:
            fuller = fuller_by_family.get(short.split(":", 1)[1], [])
            if len(fuller) == 1:
                del merged[short]
                merged[fuller[0]] = short
        return merged
