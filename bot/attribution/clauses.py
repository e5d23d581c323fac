"""Clauses: find, in one sentence, each reporting cue, its speaker's phrase and what was said.

The forms covered: `"...," X said.` / `"...," said X.` / `X said: "..."` / `X said (on
Tuesday) (that) ...` / `X told Y (that) ...` / `..., X said.` / `according to X, ...` /
`..., according to X` / `X was quoted as saying` / speech acts without a clause (`X denied any
involvement`) / `..., adding (that) ...` and `, saying ...` for the same speaker / `..., X
said citing Y` for both. Quotation pieces the sentence does not attribute are left for the
document pass (continuations).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import compress, count
from operator import attrgetter
from typing import NamedTuple

from bot import lexicon
from bot.attribution.model import Kind, Mention, QuotePiece, Token
from bot.attribution.phrases import (
    DETERMINERS,
    PREPOSITIONS,
    crosses_title_seam,
    is_known_outlet,
    phrase_after,
    phrase_before,
    read_mention,
    text_of,
)

MIN_DIRECT_WORDS = 3  # a shorter quoted stretch inside reported speech is a fragment
_VERB_FORMS: dict[tuple[str, ...], tuple[str, bool, bool]] = {
    tuple(form.split()): (lemma, needs_clause, speech_act)
    for lemma, (forms, needs_clause, speech_act) in lexicon.REPORTING_VERBS.items()
    for form in forms
}
_LONGEST_FORM = max(len(form) for form in _VERB_FORMS)
_SOURCE_PREPOSITIONS = [tuple(p.split()) for p in lexicon.SOURCE_PREPOSITIONS]
_QUOTED_AS = [tuple(p.split()) for p in lexicon.QUOTED_AS]


def _by_first_word(phrases: Sequence[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases grouped by their first word, each group in the order given."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        groups.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in groups.items()}


# a cue is looked up by the word it starts with: only the phrases that start there are tried
_SOURCES_BY_FIRST = _by_first_word(_SOURCE_PREPOSITIONS)
_QUOTED_AS_BY_FIRST = _by_first_word(_QUOTED_AS)
_VERB_FORMS_BY_FIRST = _by_first_word(sorted(_VERB_FORMS, key=len, reverse=True))  # longest first
_FIRST_WORDS = frozenset((*_VERB_FORMS_BY_FIRST, *_SOURCES_BY_FIRST, *_QUOTED_AS_BY_FIRST))

# the phrases a cue may start with at a word, in the order they are tried (sources, "quoted
# as", verb forms longest first), each with its cue's lemma, needs_clause and speech_act,
# and whether it is a verb form
_CuePhrase = tuple[tuple[str, ...], str, bool, bool, bool]
_CUE_PHRASES_BY_FIRST: dict[str, tuple[_CuePhrase, ...]] = {
    first: (
        *(
            (phrase, "according", False, False, False)
            for phrase in _SOURCES_BY_FIRST.get(first, ())
        ),
        *((phrase, "say", False, False, False) for phrase in _QUOTED_AS_BY_FIRST.get(first, ())),
        *((form, *_VERB_FORMS[form], True) for form in _VERB_FORMS_BY_FIRST.get(first, ())),
    )
    for first in _FIRST_WORDS
}
_CLOSING_QUOTES = set(lexicon.DOUBLE_QUOTES)
_PREPOSITIONS_AND_DETERMINERS = PREPOSITIONS | DETERMINERS
_OCCASION_WORDS = lexicon.OCCASION_NOUNS | lexicon.DAYS_AND_TIMES


class Cue(NamedTuple):
    """A reporting cue of a sentence (a named tuple: the cheapest immutable record to make)."""

    start: int  # token indices of the reporting words
    end: int
    lemma: str
    needs_clause: bool
    speech_act: bool
    form_ing: bool = False

    @property
    def participle(self) -> bool:
        return self.lemma != "according" and self.end - self.start >= 1 and self.form_ing


@dataclass
class Candidate:
    """A statement found in a sentence, before its speaker is resolved in the document."""

    content_start: int  # offsets in the sentence text
    content_end: int
    kind: Kind
    mention: Mention | None  # None: the speaker is the previous statement's
    verb: str | None
    quote_id: int | None = None
    speaker_start: int = field(default=0, repr=False)  # token index of the speaker's phrase
    open_ended: bool = False  # a quotation piece that goes on in the next sentence


def find_candidates(
    text: str, tokens: Sequence[Token], pieces: Sequence[QuotePiece]
) -> list[Candidate]:
    """Every attributed statement a sentence holds, with its speaker's phrase as written."""
    quoted = _quoted_tokens(tokens, pieces)
    cues = _cues(tokens, quoted)
    candidates: list[Candidate] = []
    for number, cue in enumerate(cues):
        holder = _holding_content(tokens[cue.start], candidates) if candidates else None
        if holder is not None and not cue.form_ing and _reports_inside(tokens, cue, holder):
            continue  # "X said Turkey condemns ...": the embedded act is X's report
        following = _next_independent(tokens, cues[number + 1 :])
        found = _attribute(text, tokens, quoted, pieces, cue, following, candidates)
        if found and candidates and _continues_act(tokens, cue, found[0], candidates[-1]):
            # "Pence reaffirmed the partnership and stressed ...": one statement
            candidates[-1].content_end = max(candidates[-1].content_end, found[0].content_end)
            continue
        if holder is not None and found and not cue.form_ing:
            _end_before_speaker(text, tokens, holder, found[0].speaker_start)
        candidates.extend(found)
    _relay_anonymous_sources(tokens, candidates)
    return _split_direct(text, _without_reporting_outlets(candidates), pieces)


def _relay_anonymous_sources(tokens: Sequence[Token], candidates: Sequence[Candidate]) -> None:
    """ "SOHR said citing medical sources who described the strikes as a gas attack": what
    unnamed sources said is the claim of the speaker who cites them."""
    for number, candidate in enumerate(candidates):
        mention = candidate.mention
        if number == 0 or mention is None or mention.form != "anonymous":
            continue
        citing = candidate.speaker_start - 1
        while citing > candidate.speaker_start - 4 and _is_modifier(tokens[citing]):
            citing -= 1  # "medical", "local", "security"
        if citing < 0 or tokens[citing].lower not in lexicon.SOURCE_PARTICIPLES:
            continue
        citer = candidates[number - 1]
        if citer.mention is not None and citer.mention.form != "anonymous":
            candidate.mention = citer.mention
            candidate.speaker_start = citer.speaker_start


def _is_modifier(token: Token) -> bool:
    return token.is_word and not token.is_capitalized and token.lower not in _CUE_OR_CITING_WORDS


_CUE_OR_CITING_WORDS = _FIRST_WORDS | lexicon.SOURCE_PARTICIPLES


def reporting_lemma(verb: str | None) -> str | None:
    """The reporting verb's lemma for its words as a candidate holds them ("has denied"
    and "denies" give "deny")."""
    if verb is None:
        return None
    words = tuple(verb.casefold().split())
    for start in range(len(words)):
        entry = _VERB_FORMS.get(words[start:])
        if entry is not None:
            return entry[0]
    return None


def reporting_cue_after(tokens: Sequence[Token], pieces: Sequence[QuotePiece], offset: int) -> bool:
    """Whether a reporting verb or "according to" stands outside quotation marks after
    `offset`: a quotation it follows is attributed there, even when the speaker's phrase
    names nobody ("..." a statement from top presidential sources said)."""
    quoted = _quoted_tokens(tokens, pieces)
    return any(
        tokens[cue.start].start >= offset and not cue.form_ing for cue in _cues(tokens, quoted)
    )


def _continues_act(
    tokens: Sequence[Token], cue: Cue, found: Candidate, previous: Candidate
) -> bool:
    """A second verb joined by a bare "and" to the same speaker's act goes on with it; after
    ", and" it starts a statement of its own ("..., and demanded a Lords inquiry")."""
    before = _skip_adverbs_left(tokens, cue.start)
    return (
        before > 1
        and tokens[before - 1].lower == "and"
        and tokens[before - 2].text != ","
        and found.speaker_start == previous.speaker_start
        and found.mention == previous.mention
        and found.content_start >= previous.content_start
    )


def _holding_content(token: Token, candidates: Sequence[Candidate]) -> Candidate | None:
    """The earlier statement whose reported words contain this token, if any."""
    return next((c for c in candidates if c.content_start <= token.start < c.content_end), None)


def _reports_inside(tokens: Sequence[Token], cue: Cue, holder: Candidate) -> bool:
    """A cue whose subject opens the earlier statement's clause ("X said [Turkey condemns
    ...]") is part of what X said; one with a subject of its own further on ("..., who told
    investigators ...", "... Syrias opposition National Coalition demanded ...") is not."""
    subject_start = phrase_before(tokens, _skip_adverbs_left(tokens, cue.start))
    if subject_start >= cue.start:
        before = tokens[cue.start - 1].lower if cue.start > 0 else ""
        return before not in {"and", "but", "who"}
    return tokens[subject_start].start <= holder.content_start


def _end_before_speaker(
    text: str, tokens: Sequence[Token], holder: Candidate, speaker_start: int
) -> None:
    """Cut an earlier statement where the next speaker's phrase begins, or before the
    relative clause that names that speaker ("the role of Papadopoulos, who told ...")."""
    relative = next(
        (i for i in range(speaker_start, len(tokens)) if tokens[i].text in {"who", "which"}),
        None,
    )
    if relative is not None and relative > speaker_start:
        speaker_start = relative
    stop = speaker_start
    while stop > 0 and tokens[stop - 1].lower in _BEFORE_A_SPEAKER:
        stop -= 1
    end = tokens[stop].start if stop < len(tokens) else len(text)
    if holder.content_start < end < holder.content_end:
        holder.content_start, holder.content_end = _trim(text, holder.content_start, end)


def _next_independent(tokens: Sequence[Token], later: Sequence[Cue]) -> Cue | None:
    """The next cue that starts a statement of its own: a participle, or a verb whose
    subject is coordinated ("..., and Clapper said")."""
    for cue in later:
        if cue.lemma == "according":
            end = phrase_after(tokens, cue.end)
            if read_mention(tokens[cue.end : end]) is not None:
                return cue
            continue
        if cue.form_ing:
            return cue
        subject_start = phrase_before(tokens, _skip_adverbs_left(tokens, cue.start))
        if subject_start > 0 and tokens[subject_start - 1].lower in _COORDINATORS:
            return cue
    return None


_COORDINATORS = frozenset({",", ";", "and", "but", "while", "whereas", *lexicon.DOUBLE_QUOTES})
_BEFORE_A_SPEAKER = _COORDINATORS | {"who", "which", "that"}


def _without_reporting_outlets(candidates: list[Candidate]) -> list[Candidate]:
    """ "X said ..., Russia Today reported": the outlet relays X; it is not a speaker here."""
    outlets = [c for c in candidates if c.mention is not None and is_outlet(c.mention)]
    if len(outlets) == len(candidates):
        return candidates
    return [c for c in candidates if c not in outlets]


def is_outlet(mention: Mention) -> bool:
    return is_known_outlet(mention.name or "")


def _quoted_tokens(tokens: Sequence[Token], pieces: Sequence[QuotePiece]) -> list[bool]:
    """For each token, whether it stands inside quotation marks."""
    quoted = [False] * len(tokens)
    if not pieces:  # most sentences quote nothing
        return quoted
    # tokens stand in order and apart, so a piece's tokens are one run, found by bisection
    starts = list(map(_token_start, tokens))
    ends = list(map(_token_end, tokens))
    for piece in pieces:
        first = bisect_left(starts, piece.start)
        stop = bisect_right(ends, piece.end)
        if first < stop:
            quoted[first:stop] = [True] * (stop - first)
    return quoted


def _cues(tokens: Sequence[Token], quoted: Sequence[bool]) -> list[Cue]:
    cues: list[Cue] = []
    free_from = 0  # the first token after the last cue's words
    # the tokens whose word can begin a cue, picked out in C: most tokens cannot
    starters = compress(count(), map(_FIRST_WORDS.__contains__, map(_token_lower, tokens)))
    for index in starters:
        if index < free_from or quoted[index]:
            continue
        found = _cue_at(tokens, index)
        if found is not None:
            cues.append(found)
            free_from = found.end
    return cues


def _cue_at(tokens: Sequence[Token], index: int) -> Cue | None:
    """The reporting cue that starts at a token whose word can begin one."""
    if index > 0 and tokens[index].is_capitalized:
        return None  # "the United States", "Sunday Times Reports": names, not verbs
    first = tokens[index].lower
    # the words a cue may hold: at most two past the longest verb form
    window = min(len(tokens) - index, _LONGEST_FORM + 2)
    for form, lemma, needs_clause, speech_act, is_verb in _CUE_PHRASES_BY_FIRST[first]:
        if not _starts_with(tokens, index, form, window):
            continue
        if not is_verb:  # "according to", "quoted as"
            return Cue(index, index + len(form), lemma, needs_clause, speech_act)
        if index > 0 and tokens[index - 1].lower in _BEFORE_A_NOUN:
            return None  # a noun ("the claims", "with reports"), a gerund ("in denying")
        # a form that the window ends with is taken at the longest length the window holds
        length = _LONGEST_FORM if len(form) == window else len(form)
        return Cue(
            index,
            index + length,
            lemma,
            needs_clause,
            speech_act,
            form_ing=first.endswith("ing"),
        )
    return None


def _starts_with(tokens: Sequence[Token], index: int, phrase: tuple[str, ...], window: int) -> bool:
    """Whether the words from token `index` (whose word is the phrase's first), within
    `window` of them, begin with `phrase`."""
    if len(phrase) > window:
        return False
    return len(phrase) == 1 or (
        tuple(map(_token_lower, tokens[index + 1 : index + len(phrase)])) == phrase[1:]
    )


_token_lower = attrgetter("lower")  # a token's fields read in C: a sentence has many tokens
_token_start = attrgetter("start")
_token_end = attrgetter("end")
_token_text = attrgetter("text")
_BEFORE_A_NOUN = DETERMINERS | PREPOSITIONS | {"to"}


def _attribute(
    text: str,
    tokens: Sequence[Token],
    quoted: Sequence[bool],
    pieces: Sequence[QuotePiece],
    cue: Cue,
    following: Cue | None,
    earlier: Sequence[Candidate],
) -> list[Candidate]:
    if cue.lemma == "according":
        return _according_to(text, tokens, cue)
    if not cue.form_ing:
        return _finite(text, tokens, quoted, pieces, cue, following, earlier)
    after_comma = cue.start > 0 and tokens[cue.start - 1].text in {",", "-", "–", "—"}
    if after_comma or earlier:
        return _participle(text, tokens, pieces, cue, following, earlier)
    return []


def _according_to(text: str, tokens: Sequence[Token], cue: Cue) -> list[Candidate]:
    end = phrase_after(tokens, cue.end)
    mention = read_mention(tokens[cue.end : end])
    if mention is None:
        return []
    if cue.start == 0 or tokens[cue.start - 1].text != ",":
        # "According to X, CLAUSE": the clause follows the phrase
        start = end + 1 if end < len(tokens) and tokens[end].text == "," else end
        if start >= len(tokens):
            return []
        return [_candidate(text, tokens[start].start, len(text), mention, "according to")]
    # "CLAUSE, according to X"
    return [_candidate(text, 0, tokens[cue.start - 1].start, mention, "according to")]


def _participle(
    text: str,
    tokens: Sequence[Token],
    pieces: Sequence[QuotePiece],
    cue: Cue,
    following: Cue | None,
    earlier: Sequence[Candidate],
) -> list[Candidate]:
    """`, adding (that) ...` and `, saying ...`: the speaker of the clause before. A
    participle that only goes on describing the act (`denied it, saying he was not ...`,
    `expressed concern, noting that ...`) extends it; `adding` and `saying that` report a
    new statement."""
    new_statement = (
        cue.lemma == "add"
        or (cue.lemma == "say" and _starts_with_that(tokens, cue.end))
        or _opens_quotation(tokens, cue.end)
    )
    start = _skip_adverbials(tokens, cue.end)
    start = _skip_that(tokens, start)
    end = _clause_end(text, tokens, following)
    if start >= len(tokens) or tokens[start].start >= end:
        return []
    content_start = tokens[start].start
    if cue.speech_act and not _starts_with_that(tokens, cue.end):
        content_start = tokens[cue.start].start  # "putting the death toll at 70": the act
    cited = _cited_as(tokens, cue.start)
    if cited is not None:
        return [_candidate(text, content_start, end, cited, cue.lemma)]
    if earlier:
        previous = earlier[-1]
        if (
            previous.verb in lexicon.CONTENTLESS_SPEECH
            or previous.content_end <= previous.content_start
        ):
            previous.content_start, previous.content_end = content_start, end
            previous.kind = _kind_of(pieces, content_start, end)
            return []
        if (
            not new_statement
            and previous.kind != "direct"
            and previous.content_end >= tokens[cue.start - 1].start
        ):
            previous.content_end = end
            previous.kind = _kind_of(pieces, previous.content_start, end)
            return []
    subject = None if earlier else sentence_subject(tokens, cue.start)
    return [_candidate(text, content_start, end, subject, cue.lemma)]


def _opens_quotation(tokens: Sequence[Token], index: int) -> bool:
    """`..., warning: "This issue will not go away."`"""
    while index < len(tokens) and tokens[index].text in {":", ","}:
        index += 1
    return index < len(tokens) and tokens[index].text in lexicon.DOUBLE_QUOTES


def sentence_subject(tokens: Sequence[Token], before: int) -> Mention | None:
    """The phrase that opens a sentence, past an introduction ("Facing sharp criticism,
    Trump ...", "In May, ..."): `He refused to answer ..., saying ...` has He as speaker."""
    start = 0
    if tokens and (
        tokens[0].lower in lexicon.INTRODUCTION_WORDS or tokens[0].lower.endswith("ing")
    ):
        # only a comma among the first 12 tokens closes an introduction
        opening = list(map(_token_text, tokens[: min(before, 12)]))
        start = opening.index(",") + 1 if "," in opening else 0
    while start < before and (tokens[start].lower in lexicon.INTRODUCTION_WORDS):
        start += 1
    end = phrase_after(tokens, start)
    if end == start or end >= before:
        return None
    return read_mention(tokens[start:end])


def _finite(
    text: str,
    tokens: Sequence[Token],
    quoted: Sequence[bool],
    pieces: Sequence[QuotePiece],
    cue: Cue,
    following: Cue | None,
    earlier: Sequence[Candidate],
) -> list[Candidate]:
    subject_end = _skip_adverbs_left(tokens, cue.start)
    if subject_end > 0 and tokens[subject_end - 1].lower in lexicon.PASSIVE_AUXILIARIES:
        return []  # "Ankara is accused of ...": a claim without a speaker
    if _negated(tokens, cue.start):
        return []  # "did not say what agent was used": nothing was said
    verb = " ".join(map(_token_lower, tokens[cue.start : cue.end]))
    found: list[Candidate] = []
    for mention, start in _subjects(tokens, quoted, subject_end, earlier):
        for candidate in _with_subject(text, tokens, pieces, cue, following, mention, start, verb):
            candidate.speaker_start = start
            found.append(candidate)
    if not found:
        return _inverted(text, tokens, cue, verb)
    return found + _cited_sources(tokens, cue.end, found)


def _cited_sources(
    tokens: Sequence[Token], index: int, found: Sequence[Candidate]
) -> list[Candidate]:
    """`CLAUSE, the agency said citing the General Command`: the cited source made the
    statement the speaker passes on, so it gets a line of its own."""
    index = _skip_adverbials(tokens, index)
    while index < len(tokens) and tokens[index].text == ",":
        index += 1
    if index >= len(tokens) or tokens[index].lower not in lexicon.SOURCE_PARTICIPLES:
        return []
    mention, end = _speaker_after(tokens, index + 1)
    if mention is None or mention.form not in ("name", "description"):
        return []
    if end < len(tokens) and tokens[end].lower == "as":
        return []  # "citing X as saying ...": X's words follow (see _cited_as)
    if mention.head in lexicon.PROXY_HEADS:
        return []  # "citing a statement": the speaker's own statement, no one else's
    participle = tokens[index]
    return [
        replace(candidate, mention=mention, verb=participle.lower, speaker_start=index + 1)
        for candidate in found
        if candidate.content_end <= participle.start
    ]


def _cited_as(tokens: Sequence[Token], index: int) -> Mention | None:
    """The source in `citing Interior Minister Ahmed Khalil as saying ...`, when the
    participle at `index` follows one."""
    if index < 2 or tokens[index - 1].lower != "as":
        return None
    start = phrase_before(tokens, index - 1)
    if start == 0 or tokens[start - 1].lower not in lexicon.SOURCE_PARTICIPLES:
        return None
    mention = read_mention(tokens[start : index - 1])
    return mention if mention is not None and mention.form in ("name", "description") else None


def _speaker_after(tokens: Sequence[Token], start: int) -> tuple[Mention | None, int]:
    """The speaker's phrase that starts at `start` and where it ends; a proxy stands for
    its agent ("a statement by the ministry")."""
    end = phrase_after(tokens, start)
    mention = read_mention(tokens[start:end])
    if (
        mention is not None
        and mention.head in lexicon.PROXY_HEADS
        and end < len(tokens)
        and tokens[end].lower in {"by", "from", "of"}
    ):
        agent_end = phrase_after(tokens, end + 1)
        return read_mention(tokens[end + 1 : agent_end]) or mention, agent_end
    return mention, end


def _negated(tokens: Sequence[Token], start: int) -> bool:
    return not lexicon.NEGATIONS.isdisjoint(map(_token_lower, tokens[max(start - 3, 0) : start]))


def _subjects(
    tokens: Sequence[Token],
    quoted: Sequence[bool],
    end: int,
    earlier: Sequence[Candidate],
) -> list[tuple[Mention, int]]:
    """The speakers named before a verb, with where their phrase starts: one, or two for a
    joint statement ("The Conservatives and Liberal Democrats say")."""
    if end == 0 or quoted[end - 1]:
        return []
    before = tokens[end - 1].text  # case matters: "WHO said" is the organisation
    if before in {"who", "which"}:  # "U.S. intelligence agencies who say ..."
        end -= 1
        if end > 0 and tokens[end - 1].text == ",":  # "by Mr Blair, who said: ..."
            end -= 1
    elif before == ",":  # "Peskov, when asked ..., said" / "X, who resigned ..., said"
        parenthesis = _before_parenthesis(tokens, end - 1)
        if parenthesis is None:
            return []
        end = parenthesis
    elif before in {"and", "but"}:  # "Blair dismissed questions ..., and said ..."
        if earlier and earlier[-1].mention is not None:
            return [(earlier[-1].mention, earlier[-1].speaker_start)]
        subject = sentence_subject(tokens, end - 1)
        return [(subject, 0)] if subject is not None else []
    start, core_end = _subject(tokens, end)
    if start >= end or crosses_title_seam(tokens, start - 1, end):
        return []
    mention = read_mention(tokens[start:core_end])
    if mention is None:
        return []
    if core_end < end and mention.kind != "person":
        mention = _with_name_tail(mention, tokens[start:end])
    found = [(mention, start)]
    if start > 1 and tokens[start - 1].lower == "and":
        other_start = phrase_before(tokens, start - 1)
        other = read_mention(tokens[other_start : start - 1])
        if other is not None and other.form == "name" and mention.form == "name":
            found.insert(0, (other, other_start))
    return found


def _before_parenthesis(tokens: Sequence[Token], comma: int) -> int | None:
    """End of the subject before a parenthetical that closes at `comma`, if there is one."""
    for index in range(comma - 1, max(comma - 40, 0), -1):
        if tokens[index].text != ",":
            continue
        opener = tokens[index + 1].lower if index + 1 < comma else ""
        if opener in lexicon.PARENTHESIS_OPENERS and index > 0:
            return index
        return None
    return None


def _inverted(text: str, tokens: Sequence[Token], cue: Cue, verb: str) -> list[Candidate]:
    """`"...," said X.` / `CLAUSE, said X, ...`: the speaker follows the verb."""
    if cue.lemma not in lexicon.INVERTIBLE_VERBS or cue.start == 0:
        return []  # "..., charged Manafort": the phrase after most verbs is their object
    if tokens[cue.start - 1].text not in {",", *lexicon.DOUBLE_QUOTES}:
        return []
    mention, end = _speaker_after(tokens, cue.end)  # "said a statement by the ministry"
    ends_clause = end >= len(tokens) or tokens[end].text in {",", ".", ";", "!", "?"}
    named = mention is not None and mention.form == "name"  # "said Mohamad Sabra the head ..."
    if not (ends_clause or named or tokens[end].lower in {"in", "on", "at", "adding", "during"}):
        return []
    before = _content_before(text, tokens, cue.start)
    if mention is None or before is None:
        return []
    found = [_candidate(text, before[0], before[1], mention, verb)]
    found += _clause_after_attribution(text, tokens, end, mention, verb, None)
    return found + _cited_sources(tokens, end, found)


def _with_subject(
    text: str,
    tokens: Sequence[Token],
    pieces: Sequence[QuotePiece],
    cue: Cue,
    following: Cue | None,
    mention: Mention,
    subject_start: int,
    verb: str,
) -> list[Candidate]:
    after = _content_after(text, tokens, cue, following)
    if after is not None and _prefers_before(tokens, cue, subject_start):
        after = None
    if after is not None and _parenthetical(tokens, cue, subject_start):
        # "Another issue to be raised, Yildirim had said, was the fate of ...": all of it
        return [_candidate(text, 0, after[1], mention, verb)]
    if after is not None:
        start, end = after
        if cue.needs_clause and not _has_clause_signal(text, tokens, cue, pieces):
            return []
        if cue.speech_act and not _starts_with_that(tokens, cue.end):
            start = tokens[cue.start].start
            while start > 0 and _previous_token_is_adverb(tokens, start):
                start = _previous_token_start(tokens, start)
        return [_candidate(text, start, end, mention, verb)]
    before = _content_before(text, tokens, subject_start)
    if before is None:
        if verb in lexicon.CONTENTLESS_SPEECH:
            return [
                _candidate(text, tokens[cue.end - 1].end, tokens[cue.end - 1].end, mention, verb)
            ]
        return []
    found = [_candidate(text, before[0], before[1], mention, verb)]
    return found + _clause_after_attribution(text, tokens, cue.end, mention, verb, following)


def _parenthetical(tokens: Sequence[Token], cue: Cue, subject_start: int) -> bool:
    """The attribution stands inside the statement, between commas."""
    return (
        subject_start > 1
        and tokens[subject_start - 1].text == ","
        and cue.end < len(tokens)
        and tokens[cue.end].text == ","
        and not _is_introduction(tokens[: subject_start - 1])
    )


def _clause_after_attribution(
    text: str,
    tokens: Sequence[Token],
    index: int,
    mention: Mention,
    verb: str,
    following: Cue | None,
) -> list[Candidate]:
    """`..., said Peskov, but Moscow was following it` / `..., Mr Cook said, because ...`:
    the clause joined after the attribution is the same speaker's."""
    index = _skip_adverbials(tokens, index)
    if index + 1 >= len(tokens) or tokens[index].text != ",":
        return []
    if tokens[index + 1].lower not in lexicon.CLAUSE_CONJUNCTIONS:
        return []
    start = tokens[index + 1].start
    end = _clause_end(text, tokens, following)
    return [_candidate(text, start, end, mention, verb)] if end > start else []


def _prefers_before(tokens: Sequence[Token], cue: Cue, subject_start: int) -> bool:
    """`"QUOTE" X told Y` / `CLAUSE, X said on Tuesday, when asked ...`: the statement stands
    before the speaker, and what follows the verb is circumstance."""
    if subject_start == 0:
        return False
    boundary = tokens[subject_start - 1]
    index = _skip_adverbials(tokens, cue.end)
    if cue.lemma == "tell":
        index = _past_addressee(tokens, index)
    while index < len(tokens) and tokens[index].text == ",":
        index += 1
    rest = tokens[index] if index < len(tokens) else None
    if boundary.text in lexicon.DOUBLE_QUOTES:
        # `"QUOTE" X said in an appearance on CNN's "State of the Union"`
        return rest is None or rest.lower not in {"that", ":"}
    if rest is not None and (rest.lower in {"that", ":"} or rest.text in lexicon.DOUBLE_QUOTES):
        return False
    if rest is not None and rest.lower in lexicon.CIRCUMSTANCE_PARTICIPLES:
        return boundary.is_word or boundary.text == ","  # "... the agency said citing X"
    if boundary.text != "," or _is_introduction(tokens[: subject_start - 1]):
        return False
    return rest is None or rest.lower in lexicon.SUBORDINATORS


def _is_introduction(tokens: Sequence[Token]) -> bool:
    """ "In another development on Tuesday," / "Earlier in January,": not a statement."""
    words = [t for t in tokens if t.is_word]
    return bool(words) and len(words) <= 8 and words[0].lower in lexicon.INTRODUCTION_WORDS


def _subject(tokens: Sequence[Token], end: int) -> tuple[int, int]:
    """Start of the subject that ends at `end`, and where its core phrase ends: in "A U.N.
    Commission of Inquiry into human rights in Syria said" the core is the commission, and
    in "X in an interview with Y censured" the subject is X."""
    start = phrase_before(tokens, end)
    core_end = end
    for _ in range(4):
        if start == 0 or start >= core_end or tokens[start - 1].lower not in PREPOSITIONS:
            break
        index = start - 1
        occasion = False
        while index > 0 and (
            tokens[index].lower in _PREPOSITIONS_AND_DETERMINERS
            or tokens[index].lower in lexicon.OCCASION_NOUNS
        ):
            occasion = occasion or tokens[index].lower in lexicon.OCCASION_NOUNS
            index -= 1
        preposition = index + 1
        earlier = phrase_before(tokens, preposition)
        if earlier >= preposition:
            break
        if occasion:
            return earlier, preposition
        start, core_end = earlier, preposition
    return start, core_end


def _with_name_tail(mention: Mention, tokens: Sequence[Token]) -> Mention:
    """A body's name runs on over its prepositional phrases ("Commission ... into human
    rights in Syria")."""
    if mention.form != "name" or mention.name is None:
        return mention
    whole = _strip_leading_determiner(tokens)
    name_start = whole.index(mention.name.split()[0]) if mention.name.split()[0] in whole else 0
    return replace(mention, name=whole[name_start:])


def _strip_leading_determiner(tokens: Sequence[Token]) -> str:
    words = list(tokens)
    while words and words[0].lower in DETERMINERS:
        words = words[1:]
    return text_of(words)


def _content_after(
    text: str, tokens: Sequence[Token], cue: Cue, following: Cue | None
) -> tuple[int, int] | None:
    """What follows a reporting verb, past adverbials, an addressee and "that"."""
    index = cue.end
    if index < len(tokens) and tokens[index].text in {",", ".", ";"} and cue.speech_act:
        return None  # "something Moscow denies, ...": what is denied stands before
    if cue.lemma == "tell":
        index = _past_addressee(tokens, index)
    index = _skip_adverbials(tokens, index)
    index = _skip_that(tokens, index)
    end = _clause_end(text, tokens, following)
    if index >= len(tokens) or tokens[index].start >= end:
        return None
    if tokens[index].text == "," and following is not None and following.start == index + 1:
        return None  # `X said, adding ...`: nothing said here
    if tokens[index].lower in {"in", "on", "at", "to", "during"} and index + 1 >= len(tokens):
        return None
    start = tokens[index].start
    if _LETTER_OR_DIGIT.search(text, start, end) is None:
        return None
    return start, end


def _content_before(
    text: str, tokens: Sequence[Token], subject_start: int
) -> tuple[int, int] | None:
    """`CLAUSE, X said.` / `"QUOTE" X said.`: the clause before the speaker."""
    if subject_start == 0:
        return None
    boundary = tokens[subject_start - 1]
    if boundary.text not in {",", ":", "—", "–", *_CLOSING_QUOTES} and not boundary.is_word:
        return None
    if boundary.lower in _PREPOSITIONS_AND_DETERMINERS:
        return None  # "the purported role of Papadopoulos, who told ...": not a clause
    end = boundary.start if boundary.text in {",", ":", "—", "–"} else boundary.end
    if _LETTER_OR_DIGIT.search(text, 0, end) is None:
        return None
    return 0, end


def _clause_end(text: str, tokens: Sequence[Token], following: Cue | None) -> int:
    """Where a clause that runs to the right stops: the sentence's end, a participle that
    starts another statement, or the phrase of the next speaker."""
    if following is None:
        return len(text)
    if following.form_ing or following.lemma == "according":
        comma = following.start > 0 and tokens[following.start - 1].text == ","
        return tokens[following.start - 1 if comma else following.start].start
    subject_end = _skip_adverbs_left(tokens, following.start)
    subject_start = phrase_before(tokens, subject_end)
    # the next speaker's phrase, or ", and demanded ...": a verb of its own after a comma
    stop = subject_start
    while stop > 0 and tokens[stop - 1].lower in {",", "and", "but", "while"}:
        stop -= 1
    if stop < subject_start or subject_start < subject_end:
        return tokens[stop].start if stop < len(tokens) else len(text)
    return len(text)


def _skip_adverbs_left(tokens: Sequence[Token], index: int) -> int:
    """Move left over what may stand between a subject and its verb ("has also", "on Tuesday")."""
    while index > 0:
        token = tokens[index - 1]
        lower = token.lower
        if (
            lower in lexicon.DAYS_AND_TIMES
            and index > 1
            and tokens[index - 2].lower in {"on", "last", "this"}
        ):
            index -= 2  # "Brennan on Sunday called ..."
        elif token.is_capitalized and index - 1 > 0:
            break  # "Russia Today reported": a name, not the adverb "today"
        elif lower in lexicon.ADVERBS_BEFORE_VERB or (lower.endswith("ly") and len(lower) > 4):
            index -= 1
        else:
            break
    return index


def _skip_adverbials(tokens: Sequence[Token], index: int) -> int:
    """Past `on Tuesday`, `in a statement`, `to reporters` right after the verb."""
    while index < len(tokens):
        lower = tokens[index].lower
        if lower in lexicon.ADVERBS_BEFORE_VERB or lower in lexicon.DAYS_AND_TIMES:
            index += 1
            continue
        if lower in {"on", "in", "at", "to", "during", "over", "after", "via", "with"}:
            stop = _adverbial_end(tokens, index + 1)
            if stop is None:
                break
            index = stop
            continue
        break
    return index


def _adverbial_end(tokens: Sequence[Token], index: int) -> int | None:
    """End of a short prepositional adverbial, if one starts here."""
    if index < len(tokens) and tokens[index].lower in lexicon.WEEKDAYS:
        return index + 1  # "said on Sunday they fear ...": the day alone
    date = [t.lower for t in tokens[index : index + 2]]
    if len(date) == 2 and (
        (date[0].isdigit() and date[1] in lexicon.MONTHS)
        or (date[0] in lexicon.MONTHS and date[1].isdigit())
    ):
        return index + 2  # "says on 13 March Lord Goldsmith met ...": the date alone
    for end in range(index, min(index + 7, len(tokens)) + 1):
        token = tokens[end] if end < len(tokens) else Token(".", 0, 0, ".")
        if token.lower in {"that", ",", ":", ".", "!", "?"} or token.text in lexicon.DOUBLE_QUOTES:
            has_occasion = any(
                t.lower in _OCCASION_WORDS
                or t.lower in {"reporters", "journalists", "bbc", "parliament"}
                or t.is_capitalized
                for t in tokens[index:end]
            )
            return end if has_occasion else None
    return None


def _past_addressee(tokens: Sequence[Token], index: int) -> int:
    """`told reporters`, `told a briefing`, `told the BBC on Friday`: up to what is said."""
    audience = _audience_before_clause(tokens, index)
    if audience is not None:
        return audience  # "told the BBC the full advice should have been attached, ..."
    for end in range(index, min(index + 12, len(tokens))):
        token = tokens[end]
        if token.lower in {"that", ":", ","} or token.text in lexicon.DOUBLE_QUOTES:
            return end
    for end in range(index, min(index + 5, len(tokens))):
        if tokens[end].lower in lexicon.AUDIENCE_NOUNS:
            following = end + 1
            while following < len(tokens) and tokens[following].lower in lexicon.AUDIENCE_NOUNS:
                following += 1
            return following
    name_end = phrase_after(tokens, index)
    if index < name_end < len(tokens) and tokens[index].is_capitalized:
        return name_end  # "told Newsnight the government had ..."
    return len(tokens)  # no clause follows: the addressee and circumstances run to the end


def _audience_before_clause(tokens: Sequence[Token], index: int) -> int | None:
    """End of an addressee ("reporters", "the BBC", "his monthly press conference") that a
    clause follows at once, opening with its subject ("the advice ...", "he had ...")."""
    for end in range(index, min(index + 5, len(tokens))):
        if tokens[end].lower not in lexicon.AUDIENCE_NOUNS:
            continue
        following = end + 1
        while following < len(tokens) and tokens[following].lower in lexicon.AUDIENCE_NOUNS:
            following += 1
        if following < len(tokens) and tokens[following].lower in _CLAUSE_OPENERS:
            return following
        return None
    return None


_CLAUSE_OPENERS = DETERMINERS - {"a", "an"} | frozenset(lexicon.PRONOUN_GENDER) | {"we", "i"}


def _skip_that(tokens: Sequence[Token], index: int) -> int:
    while index < len(tokens) and tokens[index].lower in {"that", ":", ","}:
        index += 1
    return index


def _starts_with_that(tokens: Sequence[Token], index: int) -> bool:
    index = _skip_adverbials(tokens, index)
    return index < len(tokens) and tokens[index].lower in {"that", ":"}


def _has_clause_signal(
    text: str, tokens: Sequence[Token], cue: Cue, pieces: Sequence[QuotePiece]
) -> bool:
    """Belief verbs count only before a that-clause, a colon or a quotation."""
    index = _skip_adverbials(tokens, cue.end)
    if index < len(tokens) and tokens[index].lower in {"that", ":"}:
        return True
    if index < len(tokens) and tokens[index].lower in {"he", "she", "it", "they", "we", "i"}:
        return True
    after = tokens[cue.end].start if cue.end < len(tokens) else len(text)
    return any(p.start >= after for p in pieces)


def _previous_token_is_adverb(tokens: Sequence[Token], start: int) -> bool:
    previous = [t for t in tokens if t.end <= start]
    if not previous:
        return False
    lower = previous[-1].lower
    return lower in {"also", "categorically", "always", "has", "have", "had", "again"} or (
        lower.endswith("ly") and len(lower) > 4
    )


def _previous_token_start(tokens: Sequence[Token], start: int) -> int:
    return [t for t in tokens if t.end <= start][-1].start


def _candidate(
    text: str, start: int, end: int, mention: Mention | None, verb: str | None
) -> Candidate:
    start, end = _trim(text, start, end)
    return Candidate(start, end, "indirect", mention, verb)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and the punctuation that frames a clause (not quotation marks)."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-"):
        end -= 1
    return start, end


def _kind_of(pieces: Sequence[QuotePiece], start: int, end: int) -> Kind:
    inside = [p for p in pieces if p.start < end and p.end > start]
    if not inside:
        return "indirect"
    quoted = sum(min(p.end, end) - max(p.start, start) for p in inside)
    return "direct" if quoted >= 0.8 * (end - start - 2 * len(inside)) else "mixed"


def _split_direct(
    text: str, candidates: list[Candidate], pieces: Sequence[QuotePiece]
) -> list[Candidate]:
    """A statement made of quotation pieces becomes one direct statement per piece."""
    if not pieces:  # most sentences quote nothing: every statement is reported speech
        for candidate in candidates:
            candidate.kind = "indirect"
        return candidates
    out: list[Candidate] = []
    for candidate in candidates:
        kind = _kind_of(pieces, candidate.content_start, candidate.content_end)
        inside = [
            p for p in pieces if p.start < candidate.content_end and p.end > candidate.content_start
        ]
        if kind != "direct" or not inside:
            candidate.kind = kind
            out.append(candidate)
            continue
        for piece in inside:
            start, end = strip_spaces(text, piece.start, piece.end)
            out.append(
                Candidate(start, end, "direct", candidate.mention, candidate.verb, piece.quote_id)
            )
    return out


def strip_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    """A span of `text` without the spaces at its edges."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def words_in(text: str) -> int:
    """The words of `text`: what spaces separate, if it holds a letter or digit."""
    return sum(1 for word in text.split() if _LETTER_OR_DIGIT.search(word))


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # what str.isalnum() accepts
