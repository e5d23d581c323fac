"""The analyzer: whatever way a question writes a word, it finds the way the article wrote it."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from bot import lexicon
from bot.corpus import Corpus
from bot.terms import analyze, fold


def finds(question: str, text: str) -> bool:
    return bool(set(analyze(question)) & set(analyze(text)))


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("Russia", "Russia's Defense Ministry accused Ankara"),
        ("Russia", "Russia’s Defense Ministry spokesman"),
        ("Russia's", "Russia launched its own campaign"),
        ("Turkey", "Turkey’s raids came after"),
        ("terrorists", "to keep terrorists' supply routes open"),
        ("Nusra", "members of the al-Nusra Front"),
        ("al-Nusra", "members of the al-Nusra Front"),
        ("Muallem", "Syrian Foreign Minister Walid al-Muallem"),
        ("Çavuşoğlu", "Turkish Foreign Minister Mevlut Cavusoglu"),
        ("Cavusoglu", "Mevlüt Çavuşoğlu said"),
        ("Yildirim", "Prime Minister Binali Yıldırım"),
        ("Walesa", "Lech Wałęsa said"),
        ("Zakharova", "ZAKHAROVA"),
        ("Turkish", "weapons from Turkey via this area"),
        ("Turkey", "across the Turkish-Syrian border"),
        ("Syria", "the Syrian conflict"),
        ("Syrian", "in northern Syria"),
        ("Syrians", "militants in Syria"),
        ("Russians", "Russia launched its own campaign"),
        ("attacks", "have been trying to launch attacks"),
        ("attacked", "they attack government forces"),
        ("smuggling", "weapons are still being smuggled"),
        ("negotiations", "the inter-Syrian negotiation in Geneva"),
        ("U.S.", "the US-led coalition's US jets"),
        ("US", "U.S. officials said"),
        ("UN", "the U.N. Security Council"),
        ("US", "the US-led coalition"),
        ("U.S.", "U.S.-backed rebels"),
        ("US", "the US's position"),
        ("al-Nusra's", "al-Nusra Front"),
    ],
)
def test_question_finds_the_word_however_the_article_writes_it(question: str, text: str) -> None:
    assert finds(question, text)


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("US", "let us go"),
        ("Nusra", "Ahrar al-Sham"),
        ("Turkey", "Russia and Syria"),
    ],
)
def test_question_does_not_find_a_different_word(question: str, text: str) -> None:
    assert not finds(question, text)


@pytest.mark.parametrize(
    "question",
    [
        "who said what about",
        "What did they say?",
        "who commented on it",
        "Who's quoted about this?",
    ],
)
def test_question_frames_and_stopwords_leave_no_terms(question: str) -> None:
    assert analyze(question) == []


@pytest.mark.parametrize("apostrophe", sorted(lexicon.APOSTROPHES))
def test_every_apostrophe_reads_as_a_straight_one(apostrophe: str) -> None:
    assert analyze(f"Russia{apostrophe}s army") == analyze("Russia's army") == ["russia", "armi"]


def test_terms_keep_the_order_of_the_text() -> None:
    assert analyze("Zakharova said the talks in Geneva may be delayed") == [
        "zakharova",
        "talk",
        "geneva",
        "may",
        "delay",
    ]


def test_hyphenated_name_gives_the_whole_and_each_meaningful_part() -> None:
    assert analyze("al-Nusra") == ["alnusra", "nusra"]


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011"])
def test_typographic_hyphen_reads_as_a_hyphen(hyphen: str) -> None:
    assert analyze(f"al{hyphen}Nusra") == analyze("al-Nusra")


def test_who_said_what_about_azaz_asks_only_about_azaz() -> None:
    assert analyze("who said what about Azaz?") == ["azaz"]


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Çavuşoğlu", "cavusoglu"),
        ("Yıldırım", "yildirim"),
        ("İstanbul", "istanbul"),
        ("Wałęsa", "walesa"),
        ("Søren", "soren"),
        ("Đukanović", "dukanovic"),
        ("Erdoğan", "erdogan"),
    ],
)
def test_fold_compares_names_without_case_or_accents(name: str, folded: str) -> None:
    assert fold(name) == folded


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_ascii_folds_as_it_would_beside_an_accented_letter(text: str) -> None:
    # the accent forces the full path (decompose, strip marks); ASCII alone takes a short cut
    assert fold(text) == fold(text + "é")[:-1]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_ascii_gives_the_terms_it_would_give_beside_an_accented_word(text: str) -> None:
    # the accent forces the full path (straighten, NFKC); ASCII alone takes a short cut
    assert analyze(f"{text} Mevlüt") == [*analyze(text), *analyze("Mevlüt")]


@pytest.mark.parametrize(
    "question",
    [
        "who said what about Azaz?",
        "what did Zakharova say about Turkey?",
        "who said the talks may be delayed?",
        "Russia's Defense Ministry",
        "al-Nusra",
        "Turkish border",
        "penguins",
    ],
)
def test_seed_index_scores_analyzed_questions_exactly_as_rank_bm25(
    seed_corpus: Corpus, question: str
) -> None:
    reference = BM25Okapi([analyze(sentence.text) for sentence in seed_corpus.sentences])
    expected = reference.get_scores(analyze(question))
    assert np.array_equal(seed_corpus.index.scores(analyze(question)), expected)
