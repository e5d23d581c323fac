"""Sentence splitting: Punkt trained on the corpus, news abbreviations, quotations ending in
"?" or "!", paragraph breaks, and where each sentence stands."""

from pathlib import Path

import nltk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from bot import lexicon
from bot.corpus import Corpus
from bot.documents import Document, parse_document
from bot.sentences import (
    Sentence,
    Splitter,
    parameters_to_json,
    split_documents,
    split_paragraph,
    train_parameters,
    train_splitter,
)


@pytest.fixture(scope="module")
def splitter(seed_corpus: Corpus) -> PunktSentenceTokenizer:
    return train_splitter(seed_corpus.documents)


def sentences_of(text: str, splitter: PunktSentenceTokenizer) -> list[str]:
    return [text[start:end] for start, end in split_paragraph(text, splitter)]


def split_article(text: str) -> tuple[Document, tuple[Sentence, ...]]:
    document = parse_document("article.txt", Path("article.txt"), text)
    return document, split_documents([document], train_splitter([document]))


@pytest.mark.parametrize(
    "sentence",
    [
        "Maj. Gen. Igor Konashenkov said the strikes hit 12 targets near Idlib.",
        "U.S. officials said the talks in Geneva would go on.",
        "Mr. Trump did not comment on the Kremlin's remarks.",
        "Lt. Col. John Smith of the U.N. mission said the convoy was hit.",
        "Sen. John McCain and Rep. Adam Schiff spoke to Dr. Jones on Jan. 5 in Washington.",
        "The meeting ended at 3 p.m. on Monday at No. 10 Downing St. in London.",
        "Gov. Jerry Brown met Prof. Ann Lee of Acme Inc. and Sgt. Ray Cole in the U.K. capital.",
    ],
)
def test_news_abbreviations_do_not_end_a_sentence(
    splitter: PunktSentenceTokenizer, sentence: str
) -> None:
    following = "The ministry did not comment."
    assert sentences_of(f"{sentence} {following}", splitter) == [sentence, following]


@pytest.mark.parametrize(
    "paragraph",
    [
        '"Why?" she asked.',
        "“Why now?” she asked.",
        '"Is it over?" asked Lavrov.',
        '"Enough!" the minister said.',
        "“Who gave the order?” she said, adding that nobody had answered.",
    ],
)
def test_quotation_ending_in_question_or_exclamation_mark_stays_with_its_attribution(
    splitter: PunktSentenceTokenizer, paragraph: str
) -> None:
    assert sentences_of(f"{paragraph} The talks went on.", splitter) == [
        paragraph,
        "The talks went on.",
    ]


def test_question_followed_by_a_new_sentence_is_split(splitter: PunktSentenceTokenizer) -> None:
    assert sentences_of('"Why?" The minister left the room.', splitter) == [
        '"Why?"',
        "The minister left the room.",
    ]


@pytest.mark.parametrize(
    ("paragraph_text", "expected"),
    [
        (
            "Turkey's military has been shelling Kurdish positions in northern Syria since "
            "February 13. Turkey’s raids came after the Kurdish fighters, backed by Russian "
            "airstrikes, drove the militants from areas near the Turkish border.",
            [
                "Turkey's military has been shelling Kurdish positions in northern Syria since "
                "February 13.",
                "Turkey’s raids came after the Kurdish fighters, backed by Russian airstrikes, "
                "drove the militants from areas near the Turkish border.",
            ],
        ),
        (
            '"Obviously, this (the request) is aimed at ensuring continued daily supplies to ISIS '
            "(Daesh), al-Nusra Front and other terrorist groups with weapons, ammunition and "
            "food from Turkey via this area, and also to allow it to serve as a passageway for "
            'terrorists," she said.',
            None,
        ),
        (
            "“While all parties involved pin their hopes on the start of a meaningful and… "
            "inclusive dialogue between the Syrian government and the opposition, external "
            "forces continue to help militants in Syria, including terrorist groups, providing "
            "them with arms and ammunition,” she stressed.",
            None,
        ),
    ],
    ids=["two_sentences", "quote_with_brackets", "quote_with_ellipsis"],
)
def test_seed_paragraph_splits_into_its_sentences(
    seed_corpus: Corpus, paragraph_text: str, expected: list[str] | None
) -> None:
    sentences = [s.text for s in seed_corpus.sentences if s.text in paragraph_text]
    assert sentences == (expected or [paragraph_text])


def test_sentence_never_spans_a_paragraph_break() -> None:
    _, sentences = split_article(
        "Talks resume\n\nThe minister said talks with the U.S.\n\n"
        "Officials in Moscow said they would go on.\n"
    )
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "The minister said talks with the U.S."),
        (1, "Officials in Moscow said they would go on."),
    ]


def test_each_sentence_knows_its_document_paragraph_position_and_offsets(
    seed_corpus: Corpus,
) -> None:
    previous: Sentence | None = None
    for number, sentence in enumerate(seed_corpus.sentences):
        document = seed_corpus.document_of(sentence)
        paragraph = document.paragraphs[sentence.paragraph]
        assert sentence.sentence_id == number
        assert paragraph.text[sentence.offset :].startswith(sentence.text)
        assert paragraph.source_span(sentence.offset, sentence.offset + len(sentence.text)) == (
            sentence.start,
            sentence.end,
        )
        same_paragraph = previous is not None and (previous.doc_index, previous.paragraph) == (
            sentence.doc_index,
            sentence.paragraph,
        )
        assert sentence.position == (previous.position + 1 if same_paragraph and previous else 0)
        previous = sentence


def test_every_seed_paragraph_is_covered_by_its_sentences(seed_corpus: Corpus) -> None:
    for doc_index, document in enumerate(seed_corpus.documents):
        for number, paragraph in enumerate(document.paragraphs):
            texts = [
                s.text
                for s in seed_corpus.sentences
                if (s.doc_index, s.paragraph) == (doc_index, number)
            ]
            assert " ".join(texts).split() == paragraph.text.split()


def test_seed_sentence_offsets_slice_the_published_text(seed_corpus: Corpus) -> None:
    document = seed_corpus.documents[1]
    sentence = next(s for s in seed_corpus.sentences if s.text.startswith("The internationally"))
    assert document.excerpt(sentence.start, sentence.end) == (
        "The internationally-brokered talks are planned to be held on January 25, but the UN "
        "says the talks may be delayed."
    )


def test_splitter_trains_without_any_nltk_download(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("NLTK data must never be downloaded or loaded")

    monkeypatch.setattr(nltk, "download", forbidden)
    monkeypatch.setattr(nltk.data, "load", forbidden)
    monkeypatch.setattr(nltk.data, "find", forbidden)
    _, sentences = split_article("Talks resume\n\nMaj. Gen. Igor Konashenkov said so. He left.\n")
    assert [s.text for s in sentences] == ["Maj. Gen. Igor Konashenkov said so.", "He left."]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "He said it was not a summary of his advice to the PM. The government has resisted.",
            [
                "He said it was not a summary of his advice to the PM.",
                "The government has resisted.",
            ],
        ),
        (
            "He is intimidated by these investigations... It is either naivete or fear.",
            ["He is intimidated by these investigations...", "It is either naivete or fear."],
        ),
        (
            '"No other minister was involved in any way." He suggested the claim was a mistake.',
            [
                '"No other minister was involved in any way."',
                "He suggested the claim was a mistake.",
            ],
        ),
    ],
)
def test_boundary_punkt_missed_after_a_learned_abbreviation_or_a_closing_quote(
    paragraph: str, expected: list[str]
) -> None:
    # a small corpus can teach Punkt that "pm" is an abbreviation (from "3:40PM.")
    parameters = PunktParameters()
    parameters.abbrev_types.update({"pm", "way"})
    assert sentences_of(paragraph, PunktSentenceTokenizer(parameters)) == expected


PUNKT_CASES = [
    "Maj. Gen. Igor Konashenkov said the strikes hit 12 targets. The ministry did not comment.",
    "J. S. Bach wrote it in 1723. No. 5 was lost... It was found in 1.2.1950. He said so.",
    "“Why now?” she asked. (It was late.) The talks -- held in Geneva -- ended at 3 p.m. Today.",
    "Prices rose 4.5%. U.S. officials said the U.N. mission etc. would stay. OK!!! Fine.",
]


def test_splitter_decides_every_boundary_as_nltks_punkt_does(seed_corpus: Corpus) -> None:
    texts = ["\n\n".join(p.text for p in d.paragraphs) for d in seed_corpus.documents]
    parameters = train_parameters(texts)
    plain = PunktSentenceTokenizer(parameters)
    splitter = Splitter(parameters)
    paragraphs = [p.text for d in seed_corpus.documents for p in d.paragraphs] + PUNKT_CASES
    for paragraph in paragraphs * 2:  # the second time, from remembered decisions
        assert list(splitter.span_tokenize(paragraph)) == list(plain.span_tokenize(paragraph))


def made_up_parameters() -> PunktParameters:
    """Parameters with each kind of rule Punkt's second pass applies to PUNKT_WORDS:
    abbreviations, collocations (with a word, a number, an abbreviation), sentence starters
    and orthographic contexts."""
    parameters = PunktParameters()
    parameters.abbrev_types.update({"gen", "ab", "co-op", "u.s"})
    parameters.collocations.update(
        {("said", "kafe"), ("said", "##number##"), ("said", "gen."), ("added", "the")}
    )
    parameters.collocations.update({("added", "kafe"), ("οδος", "kafe")})
    parameters.sent_starters.update({"the", "kafe"})
    for word, flags in {"the": 0b100010, "kafe": 0b000100, "said": 0b011000}.items():
        parameters.ortho_context[word] = flags
    return parameters


# The empty word lets a paragraph start with a separator ("? ", "!!! ").
PUNKT_WORDS = "said Said added gen Gen ab a J Kafe kafe the The 12 ΟΔΟΣ İstanbul co-op U.S".split()
PUNKT_WORDS.append("")
PUNKT_SEPARATORS = [". ", ".  ", ".\n", "\n\n", "? ", "! ", ". . . ", ". .\n.", "... ", " "]
PUNKT_SEPARATORS += [", ", '." ', '. "', ". “", ".) ", " (", "'s ", ".--", "!!! ", "."]
made_up_text = st.lists(
    st.tuples(st.sampled_from(PUNKT_WORDS), st.sampled_from(PUNKT_SEPARATORS)), max_size=12
).map(lambda pairs: "".join(word + separator for word, separator in pairs))

# Contexts for each of the rules, which generated text may meet only rarely.
PUNKT_CONTEXTS = [
    "said. The",
    "said. Kafe",
    "said. Kafe.",
    "said. 12",
    "said. 3.5",
    "said. Gen. .\n.",
    "said. Gen.",
    "added. The",
    "added. the",
    "ΟΔΟΣ. Kafe",
    "İstanbul. Kafe",
    "Gen. The",
    "gen. Kafe",
    "co-op. The",
    "a. Kafe",
    "J. The",
    "12. Kafe",
    "said. . . .",
    "said.  Kafe",
    'said. "Kafe',
    "said.\nKafe",
    "said. Kafe?",
]


@pytest.mark.parametrize("context", PUNKT_CONTEXTS)
def test_splitter_decides_each_kind_of_context_as_nltks_punkt_does(context: str) -> None:
    parameters = made_up_parameters()
    plain = PunktSentenceTokenizer(parameters)
    assert Splitter(parameters).text_contains_sentbreak(context) == (
        plain.text_contains_sentbreak(context)
    )


@settings(max_examples=400, deadline=None)
@given(made_up_text)
def test_splitter_splits_made_up_text_as_nltks_punkt_does(text: str) -> None:
    parameters = made_up_parameters()
    plain = PunktSentenceTokenizer(parameters)
    splitter = Splitter(parameters)
    for paragraph in (text, " " + text):
        assert splitter.text_contains_sentbreak(paragraph) == (
            plain.text_contains_sentbreak(paragraph)
        )
        for realign in (True, False):
            assert list(splitter.span_tokenize(paragraph, realign)) == list(
                plain.span_tokenize(paragraph, realign)
            )


def test_training_learns_what_nltks_punkt_trainer_learns(seed_corpus: Corpus) -> None:
    texts = ["\n\n".join(p.text for p in d.paragraphs) for d in seed_corpus.documents]
    texts += PUNKT_CASES
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    expected = trainer.get_params()
    expected.abbrev_types.update(lexicon.NEWS_ABBREVIATIONS)
    assert parameters_to_json(train_parameters(texts)) == parameters_to_json(expected)
