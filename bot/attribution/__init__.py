"""Attribution: find every statement in the corpus and who made it.

Per article: quotation pieces (quotes), cues and speaker phrases per sentence (clauses),
continuations of the last speaker, then speakers resolved in reading order (resolve): a
lede's description by the headline's speaker, a counted group ("Two former officials") by
the joint speakers the next sentence names. Across the corpus: one canonical Speaker per
person or body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from bot import lexicon
from bot.attribution.clauses import (
    Candidate,
    find_candidates,
    reporting_cue_after,
    reporting_lemma,
    sentence_subject,
    strip_spaces,
    words_in,
)
from bot.attribution.model import (
    Kind,
    Mention,
    QuotePiece,
    Speaker,
    SpeakerKind,
    Statement,
    Token,
)
from bot.attribution.phrases import (
    is_name_word,
    person_mentions,
    phrase_before,
    read_mention,
    tokenize,
)
from bot.attribution.quotes import quote_pieces
from bot.attribution.resolve import ArticleSpeakers, CorpusSpeakers, Entity
from bot.documents import Document
from bot.sentences import Sentence

__all__ = [
    "ArticleSpeaker",
    "ArticleStatement",
    "Attribution",
    "Mention",
    "Speaker",
    "Statement",
    "attribute",
    "attribute_article",
    "combine",
]

MIN_CONTINUATION_WORDS = 4  # a shorter stand-alone quotation is a scare quote or a title
CONTINUATION_SHARE = 0.6  # of a sentence's words inside the quotation for it to continue
CONTINUATION_REACH = 2  # sentences back to the last statement for a continuation
LEDE_SENTENCES = 2  # opening sentences whose description may be the headline's speaker


@dataclass(frozen=True)
class Attribution:
    statements: tuple[Statement, ...]
    speakers: dict[str, Speaker]  # canonical speakers by key


@dataclass(frozen=True)
class ArticleSpeaker:
    """A speaker as one article knows it, before speakers are merged across the corpus."""

    key: str
    kind: SpeakerKind
    names: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ArticleStatement:
    """A statement of one article: plain data that can be cached per file."""

    sentence_position: int  # the sentence's number within its article
    speaker: ArticleSpeaker
    mention: str
    kind: Kind
    content_start: int  # offsets in the sentence's text
    content_end: int
    quote_start: int  # the same stretch's offsets in the document's published text
    quote_end: int
    reporting_verb: str | None
    confidence: float


@dataclass
class _Found:
    position: int
    candidate: Candidate
    entity: Entity


def attribute(documents: Sequence[Document], sentences: Sequence[Sentence]) -> Attribution:
    """Every attributed statement of the corpus, in document and reading order."""
    by_document = sentences_by_document(len(documents), sentences)
    articles = [
        attribute_article(document, by_document[doc_index])
        for doc_index, document in enumerate(documents)
    ]
    return combine(documents, sentences, articles)


def sentences_by_document(
    document_count: int, sentences: Sequence[Sentence]
) -> list[list[Sentence]]:
    by_document: list[list[Sentence]] = [[] for _ in range(document_count)]
    for sentence in sentences:
        by_document[sentence.doc_index].append(sentence)
    return by_document


def attribute_article(
    document: Document, sentences: Sequence[Sentence]
) -> tuple[ArticleStatement, ...]:
    """The statements of one article, its speakers resolved within the article."""
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    article = ArticleSpeakers(document.captions, body)
    found = _article_statements(sentences, article, document.title)
    spans = [
        sentences[item.position].source_span(
            document.paragraphs[sentences[item.position].paragraph],
            item.candidate.content_start,
            item.candidate.content_end,
        )
        for item in found
    ]
    # one per speaker, shared by its statements: a worker sends each speaker once
    entities = {item.entity.key: item.entity for item in found}
    speakers = {
        key: ArticleSpeaker(key, entity.kind, tuple(entity.names), tuple(entity.roles))
        for key, entity in entities.items()
    }
    return tuple(
        ArticleStatement(
            sentence_position=item.position,
            speaker=speakers[item.entity.key],
            mention=item.candidate.mention.text if item.candidate.mention else "",
            kind=item.candidate.kind,
            content_start=item.candidate.content_start,
            content_end=item.candidate.content_end,
            quote_start=span[0],
            quote_end=span[1],
            reporting_verb=item.candidate.verb,
            confidence=_confidence(item.candidate),
        )
        for item, span in zip(found, spans, strict=True)
    )


def combine(
    documents: Sequence[Document],
    sentences: Sequence[Sentence],
    articles: Sequence[Sequence[ArticleStatement]],
) -> Attribution:
    """The corpus's statements with one canonical speaker per person or body."""
    corpus = CorpusSpeakers()
    for statements in articles:
        corpus.add(
            Entity(s.speaker.key, s.speaker.kind, list(s.speaker.names), list(s.speaker.roles))
            for s in {s.speaker: s for s in statements}.values()
        )
    speakers = corpus.canonical()
    by_document = sentences_by_document(len(documents), sentences)
    out: list[Statement] = []
    for statements, article_sentences in zip(articles, by_document, strict=True):
        for found in statements:
            sentence = article_sentences[found.sentence_position]
            speaker = speakers[found.speaker.key]
            start, end = found.content_start, found.content_end
            out.append(
                Statement(
                    statement_id=len(out),
                    doc_index=sentence.doc_index,
                    sentence_id=sentence.sentence_id,
                    speaker_key=speaker.key,
                    speaker_name=speaker.name,
                    mention=found.mention,
                    role=found.speaker.roles[0] if found.speaker.roles else None,
                    kind=found.kind,
                    quote=sentence.text[start:end],
                    quote_start=found.quote_start,
                    quote_end=found.quote_end,
                    reporting_verb=found.reporting_verb,
                    confidence=found.confidence,
                )
            )
    unique = {s.key: s for s in speakers.values()}
    return Attribution(tuple(out), unique)


def _article_statements(
    sentences: Sequence[Sentence],
    article: ArticleSpeakers,
    title: str | None,
) -> list[_Found]:
    pieces = quote_pieces(sentences)
    found: list[_Found] = []
    speaker_of_quote: dict[int, Entity] = {}
    unknown_speaker: set[int] = set()  # quotations attributed to someone we cannot name
    # quotation pieces waiting for their speaker, with the last speaker as the fallback
    pending: list[tuple[int, Candidate, Entity | None]] = []
    counted: list[tuple[int, Candidate, int]] = []  # "Two officials said ...": named next?
    last_index = -10
    for index, sentence in enumerate(sentences):
        found_before = len(found)  # what the sentence finds is appended after these
        tokens = tokenize(sentence.text)
        candidates = find_candidates(sentence.text, tokens, pieces[index])
        if pieces[index]:  # most sentences quote nothing, and leave no piece unclaimed
            unclaimed = _unclaimed_pieces(pieces[index], candidates)
            attributed = {
                p.quote_id
                for p in unclaimed
                if not p.continues_after and reporting_cue_after(tokens, pieces[index], p.end)
            }
            unknown_speaker |= attributed  # its speaker's phrase named nobody we know
            candidates += _unclaimed_quotes(
                sentence.text, [p for p in unclaimed if p.quote_id not in attributed]
            )
        if not candidates:
            _remember_who_is_named(article, tokens, pieces[index])
        for candidate in candidates:
            candidate.mention = _own_subject_for_pronoun(candidate, tokens)
        for candidate in candidates:
            entity = _speaker(
                candidate, index, article, speaker_of_quote, index - last_index, found
            )
            if entity is None and index < LEDE_SENTENCES and title:
                entity = _named_by_headline(candidate, title, article)
            waits = candidate.open_ended and candidate.quote_id not in speaker_of_quote
            if entity is None or (waits and candidate.mention is None):
                if candidate.quote_id is not None and candidate.mention is None:
                    pending.append((index, candidate, entity))
                elif entity is None:  # "..." a statement from sources said: nobody we know
                    if candidate.mention is not None and candidate.mention.count:
                        counted.append((index, candidate, candidate.mention.count))
                    unknown_speaker.update(
                        piece.quote_id
                        for piece in pieces[index]
                        if candidate.content_start < piece.end
                        and piece.start < candidate.content_end
                    )
                continue
            article.spoke(entity)
            if candidate.quote_id is not None:
                speaker_of_quote[candidate.quote_id] = entity
            if candidate.content_end > candidate.content_start:
                found.append(_Found(index, candidate, entity))
            last_index = index
        _remember_unnamed_bodies(article, sentence.text, tokens)
        found_here = found[found_before:]
        _remember_authors(article, tokens, found_here)
        found.extend(_named_next(counted, index, found_here))
        counted = [waiting for waiting in counted if waiting[0] == index]
        for waiting in list(pending):
            quote_id = waiting[1].quote_id
            entity = speaker_of_quote.get(quote_id) if quote_id is not None else None
            if entity is not None:
                found.append(_Found(waiting[0], waiting[1], entity))
                pending.remove(waiting)
    # a quotation that closed without naming its speaker continues the one before it; one
    # whose attribution names someone unknown ("a statement from sources said") is nobody's
    found.extend(
        _Found(index, candidate, fallback)
        for index, candidate, fallback in pending
        if fallback is not None and candidate.quote_id not in unknown_speaker
    )
    found.sort(key=lambda f: (f.position, f.candidate.content_start))
    return found


def _named_next(
    counted: Sequence[tuple[int, Candidate, int]], index: int, here: Sequence[_Found]
) -> list[_Found]:
    """ "Two former officials said ... . Former CIA Director John Brennan and James Clapper
    both said ...": a counted group is the joint speakers the next sentence opens with, when
    there are as many of them (`here`: the statements found in sentence `index`)."""
    waiting = [item for item in counted if item[0] == index - 1]
    if not waiting or not here or here[0].candidate.speaker_start != 0:
        return []
    span = (here[0].candidate.content_start, here[0].candidate.content_end)
    joint = {
        item.entity.key: item.entity
        for item in here
        if (item.candidate.content_start, item.candidate.content_end) == span
    }
    return [
        _Found(position, candidate, entity)
        for position, candidate, count in waiting
        if count == len(joint)
        for entity in joint.values()
    ]


def _remember_who_is_named(
    article: ArticleSpeakers, tokens: Sequence[Token], pieces: Sequence[QuotePiece]
) -> None:
    """A sentence that quotes nobody still names people and bodies a later "he" or "it
    said" may stand for: its full names, then its subject, the likeliest of all."""
    unquoted = [t for t in tokens if not _quoted(t, pieces)] if pieces else tokens
    subject = sentence_subject(unquoted, len(unquoted))
    if subject is not None and subject.form == "pronoun":
        return  # "He refused to answer ...": the same person stays in focus
    named = person_mentions(unquoted)
    if subject is not None and subject.form == "name" and len(subject.text.split()) <= 6:
        named.append(subject)
    for mention in named:
        entity = article.resolve(mention)
        if entity is not None:
            article.mentioned(entity)


def _remember_unnamed_bodies(article: ArticleSpeakers, text: str, tokens: Sequence[Token]) -> None:
    """Bodies a sentence mentions by a description the article cannot name ("confirmed a
    report by the Syrian state news agency"): a later "the agency said" is not an older one.
    Only a body the article already knows by that head could be mistaken for it."""
    # a capitalised head is part of a name ("Defense Ministry"): only lowercase heads count
    known_heads = lexicon.ORGANISATION_HEADS & article.body_words
    if not any(head in text for head in known_heads):
        return  # a head the sentence holds as a token it holds as a string
    heads = [index for index, token in enumerate(tokens) if token.text in known_heads]
    for index in heads:
        token = tokens[index]
        end = index + 1
        if end < len(tokens) and (is_name_word(tokens[end]) or tokens[end].lower == "of"):
            continue  # the head does not end the phrase: "the ministry of health"
        mention = read_mention(tokens[phrase_before(tokens, end) : end])
        if mention is None or mention.kind != "organisation" or mention.form == "anonymous":
            continue
        if mention.form == "name" and mention.name and article.knows(mention.name, mention.kind):
            continue
        if mention.form == "description" and article.described(mention) is not None:
            continue
        article.unnamed(token.text)


def _remember_authors(
    article: ArticleSpeakers, tokens: Sequence[Token], found_here: Sequence[_Found]
) -> None:
    """ "In his new book, Philippe Sands suggests ...": the sentence's speaker wrote the book
    a possessive that agrees with them gives them, so a later "the book says" is theirs."""
    if not found_here or lexicon.AUTHORED_WORKS.isdisjoint(map(_token_lower, tokens)):
        return
    speaker = found_here[0].entity
    works = [index for index, token in enumerate(tokens) if token.lower in lexicon.AUTHORED_WORKS]
    for index in works:
        token = tokens[index]
        gender = _possessor_gender(tokens[max(index - 3, 0) : index])
        if gender is None:
            continue
        if speaker.kind == "person":
            agrees = gender in ("male", "female") and speaker.gender in (gender, "unknown")
        else:
            agrees = gender in ("neuter", "plural")
        if agrees:
            article.authors[token.lower] = speaker


_token_lower = attrgetter("lower")  # a token's word read in C: a sentence has many tokens


def _possessor_gender(before: Sequence[Token]) -> str | None:
    """The gender of the possessive in "his new book", past lowercase modifiers."""
    for token in reversed(before):
        if token.lower in lexicon.POSSESSIVE_GENDER:
            return lexicon.POSSESSIVE_GENDER[token.lower]
        if not token.is_word or token.is_capitalized:
            return None
    return None


def _own_subject_for_pronoun(candidate: Candidate, tokens: Sequence[Token]) -> Mention | None:
    """ "The United States resumed visas after getting what it said were assurances": a
    pronoun inside a sentence first stands for that sentence's own subject."""
    mention = candidate.mention
    if mention is None or mention.form != "pronoun" or candidate.speaker_start == 0:
        return mention
    subject = sentence_subject(tokens, candidate.speaker_start)
    if subject is None or subject.form != "name":
        return mention
    agrees = (mention.gender == "neuter" and subject.kind == "organisation") or (
        mention.gender in ("male", "female")
        and subject.kind == "person"
        and subject.gender in (mention.gender, "unknown")
    )
    return subject if agrees else mention


def _headline_subject(title: str) -> tuple[Mention, str] | None:
    """The speaker a headline names and its reporting verb ("Goldsmith denies war advice
    claim"), if it is written as a statement."""
    for candidate in find_candidates(title, tokenize(title), []):
        lemma = reporting_lemma(candidate.verb)
        if candidate.mention is not None and candidate.mention.form == "name" and lemma:
            return candidate.mention, lemma
    return None


def _named_by_headline(candidate: Candidate, title: str, article: ArticleSpeakers) -> Entity | None:
    """ "Goldsmith denies war advice claim" over "The attorney general has denied ...": a
    lede that describes its speaker before naming them means the headline's speaker, when
    both report the same act."""
    mention = candidate.mention
    if mention is None or mention.form != "description":
        return None
    headline = _headline_subject(title)
    if headline is None:
        return None
    named, lemma = headline
    if mention.kind != named.kind:
        return None
    if reporting_lemma(candidate.verb) != lemma:
        return None
    entity = article.resolve(named)
    if entity is not None and mention.role:
        article.describe(entity, mention.role)
    return entity


def _speaker(
    candidate: Candidate,
    position: int,
    article: ArticleSpeakers,
    speaker_of_quote: dict[int, Entity],
    distance: int,
    found: Sequence[_Found],
) -> Entity | None:
    if candidate.mention is not None:
        return article.resolve(candidate.mention)
    if candidate.quote_id is not None and candidate.quote_id in speaker_of_quote:
        return speaker_of_quote[candidate.quote_id]
    if candidate.verb is not None:  # ", adding that ...": the sentence's speaker
        return found[-1].entity if found and found[-1].position == position else None
    if distance <= CONTINUATION_REACH:
        return article.last_speaker()
    return None


def _unclaimed_pieces(
    pieces: Sequence[QuotePiece], candidates: Sequence[Candidate]
) -> list[QuotePiece]:
    """The quotation pieces no statement of the sentence holds."""
    return [
        piece
        for piece in pieces
        if not any(c.content_start < piece.end and c.content_end > piece.start for c in candidates)
    ]


def _unclaimed_quotes(text: str, pieces: Sequence[QuotePiece]) -> list[Candidate]:
    """Unclaimed quotation pieces that are statements on their own: a sentence wholly in
    quotation marks, or part of a quotation that runs over several sentences."""
    out: list[Candidate] = []
    for piece in pieces:
        words = words_in(text[piece.start : piece.end])
        spans_sentences = piece.opened_before or piece.continues_after
        if words < MIN_CONTINUATION_WORDS and not spans_sentences:
            continue
        if not spans_sentences and words < CONTINUATION_SHARE * words_in(text):
            continue
        start, end = strip_spaces(text, piece.start, piece.end)
        out.append(
            Candidate(
                start, end, "direct", None, None, piece.quote_id, open_ended=piece.continues_after
            )
        )
    return out


def _quoted(token: Token, pieces: Sequence[QuotePiece]) -> bool:
    return any(p.start <= token.start < p.end for p in pieces)


def _confidence(candidate: Candidate) -> float:
    if candidate.mention is None:
        return 0.7
    return {"name": 0.95, "pronoun": 0.85, "description": 0.8}.get(candidate.mention.form, 0.5)
