"""The corpus lookups: built once, they find exactly what a scan of the whole corpus finds."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from bot.answers.speakers import _best_fit, find_speakers
from bot.corpus import Corpus, build_corpus
from bot.corpus.lookups import KeyTable, capitalised_words, read_name

MINISTRY_TITLE = "Russia's Defence Ministry denies strikes"
ARTICLES = {
    "ministry": (
        "Russia's Defence Ministry denies strikes\n2017-04-05\n\n"
        '"No Russian aircraft carried out strikes near Khan Shaykhun," Russia\'s Defence Ministry '
        "said on Wednesday. Major General Igor Konashenkov said the report was false.\n\n"
        '"It is a provocation," Konashenkov added. The United Nations said it would look into it.'
    ),
    "talks": (
        "Talks in Geneva may be delayed\n2017-04-06\n\n"
        "French President Francois Hollande said the talks in Geneva may be delayed. "
        '"We are ready," Maria Zakharova told reporters. The World Health Organization said '
        "the victims showed signs of nerve agent exposure.\n\n"
        "Zakharova said Moscow would not change its position."
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("lookups")
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return build_corpus((folder,), max_file_bytes=1_000_000)


def _phrases(corpus: Corpus) -> list[str]:
    """Every name, alias and role of the corpus, each with a typo, its last word alone, and
    what people ask: acronyms, bodies by country, offices."""
    phrases = ["WHO", "UN", "the UN", "Russia", "Moscow", "the French president", "Mr Hollande"]
    for speaker in corpus.speakers.values():
        for text in (speaker.name, *speaker.aliases, *speaker.roles):
            phrases += [text, text.split()[-1], text[:-1] + "x" + text[-1:], text.upper()]
    return phrases


def test_find_speakers_matches_a_fit_against_every_speaker(corpus: Corpus) -> None:
    names = corpus.lookups.speaker_names
    for phrase in _phrases(corpus):
        name = read_name(phrase)
        fits = [(p, _best_fit(name, names, p)) for p in range(len(names.speakers))]
        expected = sorted(
            ((names.speakers[p], fit) for p, fit in fits if fit is not None and name.words),
            key=lambda pair: (-pair[1], pair[0].name),
        )
        found = [(match.speaker, match.fit) for match in find_speakers(corpus, phrase)]
        if found or expected:
            assert found == expected, phrase


def test_the_seed_speakers_are_found_by_family_name_acronym_and_typo(seed_corpus: Corpus) -> None:
    assert find_speakers(seed_corpus, "Zaharova")[0].speaker.name == "Maria Zakharova"
    assert find_speakers(seed_corpus, "Mr Konashenkov")[0].speaker.name == "Igor Konashenkov"


def test_statements_by_speaker_are_each_speakers_statements_in_order(corpus: Corpus) -> None:
    expected: dict[str, list[int]] = defaultdict(list)
    for statement in corpus.statements:
        expected[statement.speaker_key].append(statement.statement_id)
    by_speaker = corpus.lookups.statements_by_speaker
    assert {key: by_speaker.of(key).tolist() for key in expected} == expected
    assert by_speaker.of("person:nobody").tolist() == []


def test_a_corpus_nobody_is_quoted_in_has_no_statements_by_anyone(tmp_path: Path) -> None:
    (tmp_path / "quiet.txt").write_text("Rain fell on Geneva.\n\nThe talks went on.", "utf-8")
    corpus = build_corpus((tmp_path,), max_file_bytes=1_000_000)
    assert corpus.lookups.statements_by_speaker.of("person:igor konashenkov").tolist() == []


def test_sentence_documents_are_each_sentences_document(corpus: Corpus) -> None:
    documents = corpus.lookups.sentence_documents.tolist()
    assert documents == [sentence.doc_index for sentence in corpus.sentences]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["geneva"], ["Talks in Geneva may be delayed"]),
        (["strikes", "geneva"], [MINISTRY_TITLE, "Talks in Geneva may be delayed"]),
        (["strikestalks"], []),  # never across two texts
        (["aleppo"], []),
    ],
)
def test_titles_containing_a_word(corpus: Corpus, words: list[str], expected: list[str]) -> None:
    titles = corpus.lookups.titles
    assert sorted(titles.texts[p] for p in titles.containing(words)) == sorted(expected)


def test_key_table_finds_keys_but_for_a_typo_in_long_words_only() -> None:
    table = KeyTable.of({"zakharova": {0}, "zakharov": {1}, "lavrov": {2}, "tass": {3}})
    assert table.similar("zaharova") == {0}  # two letters off "zakharov": another name
    assert table.similar("lavrof") == {2}
    assert table.similar("tass") == {3}
    assert table.similar("taas") == set()  # too short to tell a typo


def test_capitalised_words_are_made_on_first_use_from_the_sentences(corpus: Corpus) -> None:
    words = corpus.lookups.capitalised_words
    assert words["shaykhun"] == "Shaykhun"
    assert words["geneva"] == "Geneva"
    assert "strikes" not in words
    assert corpus.lookups.capitalised_words is words


def test_capitalised_words_of_every_file_are_those_a_scan_of_the_corpus_finds(
    tmp_path: Path,
) -> None:
    texts = {
        "a.txt": "Talks in Geneva\n\nOfficials met in Geneva and Aleppo. Nobody came.",
        "b.txt": "News from Aleppo\n\nThe Syrian army entered ALEPPO, Alepo and Geneva.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    corpus = build_corpus((tmp_path,), max_file_bytes=1_000_000)
    scanned = capitalised_words(sentence.text for sentence in corpus.sentences)
    assert corpus.lookups.capitalised_words == scanned
    assert scanned["aleppo"] == "Aleppo"  # the form met first
    assert {"aleppo", "alepo", "syrian", "nobody", "officials"} <= set(scanned)


def test_capitalised_words_are_not_made_at_start_up(tmp_path: Path) -> None:
    """The files' capitalised words are merged only when a question needs them."""
    (tmp_path / "one.txt").write_text(ARTICLES["talks"], encoding="utf-8")
    corpus = build_corpus((tmp_path,), max_file_bytes=1_000_000)
    assert "capitalised_words" not in vars(corpus.lookups)
