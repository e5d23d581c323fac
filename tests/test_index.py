"""BM25Index gives rank_bm25.BM25Okapi's scores bit for bit, touching only the query's postings;
segments merge into the same index, and indexes and segments save and load."""

import itertools
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from rank_bm25 import BM25Okapi

import bot.index.bm25
import bot.index.layout
import bot.index.search
import bot.index.storage
from bot.corpus import build_corpus
from bot.index import BM25Index, Hit, IndexFormatError, IndexSegment, SearchIndex
from bot.index.segment import Concatenation, TermReceiver, TermSender
from bot.terms import analyze

Corpus = list[list[str]]
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DEV_DOCS = Path("/work/shared/eval/dev/docs")

# Sentences from seeds/000_c95f25a13bd07841.txt, lowercased and stripped of stopwords by hand.
SEED_TEXTS = [
    "russia say terrorists syria receive arms smuggled turkish border night",
    "weapons ammunition smuggled turkish syrian border supply terrorists idlib aleppo",
    "russia defense ministry spokesman major general igor konashenkov said",
    "turkish authorities tightened pass controls militants pass border",
    "turkey military shelling kurdish positions northern syria",
    "russia defense ministry accused ankara massed artillery strikes",
]
SEED_SENTENCES: Corpus = [text.split() for text in SEED_TEXTS]

CORPORA: dict[str, Corpus] = {
    "seed_article": SEED_SENTENCES,
    # Forty idfs whose running sum rounds differently from numpy's pairwise sum, so the floor
    # of "said" is only right if the idfs are summed one by one in first-appearance order.
    "seed_article_everyone_said": [[*sentence, "said"] for sentence in SEED_SENTENCES],
    # "said" is in three of four sentences, so its raw idf is negative and gets floored.
    "term_in_most_sentences": [
        ["minister", "said", "tax"],
        ["mayor", "said", "vote"],
        ["minister", "said", "tax", "tax"],
        ["budget"],
    ],
    "empty_sentence_among_others": [
        ["minister", "said", "tax"],
        [],
        ["mayor", "said", "said", "vote"],
        ["tax"],
    ],
    # Every idf is negative or zero, so the floor is negative and so are the scores.
    "every_term_in_most_sentences": [["tax", "vote"], ["tax", "vote"], ["tax"], []],
    # "vote" is in exactly half the sentences: its idf is exactly 0.0.
    "idf_exactly_zero": [["tax", "vote"], ["tax"], ["vote", "tax"], ["mayor"]],
    "single_sentence": [["alone", "alone", "again"]],
}

QUERIES: list[list[str]] = [
    [],
    ["said"],
    ["tax"],
    ["tax", "tax"],
    ["said", "tax", "said"],
    ["vote", "mayor", "tax", "minister"],
    ["unknown"],
    ["unknown", "tax", "unknown"],
    ["russia", "border"],
    ["turkish", "border", "syria", "turkish"],
    # Over the seed article, summing these in first-appearance, alphabetical or reversed
    # order changes the last bit of a score.
    ["spokesman", "defense", "ministry"],
    ["alone"],
]

CASES = [
    pytest.param(corpus, query, id=f"{name}-{'+'.join(query) or 'empty'}")
    for name, corpus in CORPORA.items()
    for query in QUERIES
]


def assert_identical(actual: NDArray[np.float64], expected: NDArray[np.float64]) -> None:
    assert actual.dtype == expected.dtype == np.float64
    assert actual.shape == expected.shape
    assert np.array_equal(actual, expected)
    assert actual.tobytes() == expected.tobytes()


def sentences_containing(corpus: Corpus, query: list[str]) -> list[int]:
    return [i for i, sentence in enumerate(corpus) if set(sentence) & set(query)]


def expected_top(corpus: Corpus, query: list[str], k: int) -> list[Hit]:
    """A full stable sort of rank-bm25's scores (so ties keep id order), over matching sentences."""
    scores = BM25Okapi(corpus).get_scores(query)
    ranked = sorted(sentences_containing(corpus, query), key=lambda i: -scores[i])
    return [Hit(i, float(scores[i])) for i in ranked[:k]]


@pytest.mark.parametrize(("corpus", "query"), CASES)
def test_scores_equal_rank_bm25_bit_for_bit(corpus: Corpus, query: list[str]) -> None:
    expected = BM25Okapi(corpus).get_scores(query)
    assert_identical(BM25Index.build(corpus).scores(query), expected)


@pytest.mark.parametrize(("corpus", "query"), CASES)
@pytest.mark.parametrize("k", [1, 2, 3, 100])
def test_top_follows_stable_sort_of_rank_bm25_scores(
    corpus: Corpus, query: list[str], k: int
) -> None:
    assert BM25Index.build(corpus).top(query, k) == expected_top(corpus, query, k)


@pytest.mark.parametrize(("corpus", "query"), CASES)
def test_matching_lists_sentences_with_any_query_term(corpus: Corpus, query: list[str]) -> None:
    matching = BM25Index.build(corpus).matching(query)
    assert matching.tolist() == sentences_containing(corpus, query)


@pytest.mark.parametrize("corpus", CORPORA.values(), ids=list(CORPORA))
def test_idf_and_document_frequency_match_rank_bm25(corpus: Corpus) -> None:
    reference = BM25Okapi(corpus)
    index = BM25Index.build(corpus)
    assert {term: index.idf(term) for term in reference.idf} == reference.idf
    for term in reference.idf:
        assert index.document_frequency(term) == sum(term in d for d in reference.doc_freqs)


def test_idf_of_term_in_more_than_half_the_sentences_is_floored() -> None:
    corpus = CORPORA["term_in_most_sentences"]
    reference = BM25Okapi(corpus)
    index = BM25Index.build(corpus)
    assert index.document_frequency("said") == 3
    assert index.idf("said") == reference.epsilon * reference.average_idf > 0


@pytest.mark.parametrize("corpus", CORPORA.values(), ids=list(CORPORA))
def test_sizes_match_rank_bm25(corpus: Corpus) -> None:
    reference = BM25Okapi(corpus)
    index = BM25Index.build(corpus)
    assert len(index) == reference.corpus_size
    assert index.vocabulary_size == len(reference.idf)
    assert index.postings_count == sum(len(frequencies) for frequencies in reference.doc_freqs)


def test_unknown_term_has_no_idf_and_no_sentences() -> None:
    index = BM25Index.build(CORPORA["seed_article"])
    assert index.idf("unknown") == 0.0
    assert index.document_frequency("unknown") == 0
    assert index.top(["unknown"], 5) == []
    assert index.matching(["unknown"]).size == 0


def test_repeated_query_term_counts_twice() -> None:
    index = BM25Index.build(CORPORA["seed_article"])
    once = index.scores(["terrorists"])
    assert np.any(once > 0)
    assert_identical(index.scores(["terrorists", "terrorists"]), 2 * once)


def test_top_breaks_ties_by_lower_sentence_id() -> None:
    corpus = [["tax", "vote"], ["mayor"], ["tax", "vote"], ["tax", "vote"], ["tax", "vote"]]
    index = BM25Index.build(corpus)
    assert [hit.sentence_id for hit in index.top(["tax"], 2)] == [0, 2]
    assert [hit.sentence_id for hit in index.top(["tax"], 10)] == [0, 2, 3, 4]


def test_top_ranks_higher_scores_before_lower_ids() -> None:
    corpus = [["tax", "budget", "vote", "said"], ["mayor"], ["tax"], ["budget"], ["mayor"]]
    hits = BM25Index.build(corpus).top(["tax"], 3)
    assert [hit.sentence_id for hit in hits] == [2, 0]
    assert hits[0].score > hits[1].score


def test_top_keeps_matches_with_negative_scores_and_skips_non_matches() -> None:
    corpus = CORPORA["every_term_in_most_sentences"]
    hits = BM25Index.build(corpus).top(["tax"], 10)
    assert [hit.sentence_id for hit in hits] == [0, 1, 2]
    assert all(hit.score < 0 for hit in hits)


def test_top_with_k_larger_than_matches_returns_every_match() -> None:
    corpus = CORPORA["seed_article"]
    hits = BM25Index.build(corpus).top(["border"], 50)
    assert sorted(hit.sentence_id for hit in hits) == sentences_containing(corpus, ["border"])


def test_top_of_zero_returns_nothing() -> None:
    assert BM25Index.build(CORPORA["seed_article"]).top(["border"], 0) == []


def test_top_of_negative_k_is_rejected() -> None:
    with pytest.raises(ValueError, match="k must be zero or more"):
        BM25Index.build(CORPORA["seed_article"]).top(["border"], -1)


def test_query_given_as_one_string_is_rejected() -> None:
    with pytest.raises(TypeError, match="not one string"):
        BM25Index.build(CORPORA["seed_article"]).scores("border")


@pytest.mark.parametrize(
    "corpus",
    [[], [[]], [[], [], []]],
    ids=["no_sentences", "one_empty_sentence", "only_empty_sentences"],
)
def test_corpus_without_tokens_matches_nothing(corpus: Corpus) -> None:
    index = BM25Index.build(corpus)
    assert len(index) == len(corpus)
    assert index.vocabulary_size == index.postings_count == 0
    assert_identical(index.scores(["tax"]), np.zeros(len(corpus)))
    assert index.top(["tax"], 3) == []
    assert index.matching(["tax"]).size == 0
    assert index.idf("tax") == 0.0


@pytest.mark.parametrize(
    ("k1", "b", "epsilon"), [(1.2, 0.75, 0.25), (2.0, 0.0, 0.5), (0.9, 1.0, 0.1)]
)
def test_bm25_parameters_match_rank_bm25(k1: float, b: float, epsilon: float) -> None:
    corpus = CORPORA["term_in_most_sentences"] + SEED_SENTENCES
    query = ["said", "tax", "border", "said"]
    expected = BM25Okapi(corpus, k1=k1, b=b, epsilon=epsilon).get_scores(query)
    index = BM25Index.build(corpus, k1=k1, b=b, epsilon=epsilon)
    assert_identical(index.scores(query), expected)


def test_nbytes_grows_with_postings_not_sentences() -> None:
    corpus = [SEED_SENTENCES[i % len(SEED_SENTENCES)][: 3 + i % 7] for i in range(600)]
    index = BM25Index.build(corpus)
    per_term_overhead = 16 * (index.vocabulary_size + 1)
    assert index.nbytes <= 16 * index.postings_count + per_term_overhead
    assert BM25Index.build(corpus + [[]] * 1000).nbytes == index.nbytes


def test_index_is_a_search_index() -> None:
    index: SearchIndex = BM25Index.build(SEED_SENTENCES)
    assert len(index) == len(SEED_SENTENCES)


@st.composite
def zipf_corpora(draw: st.DrawFn) -> tuple[Corpus, list[str]]:
    """A corpus over a small vocabulary where term i is about 1/(i+1) as common as term 0."""
    vocabulary_size = draw(st.integers(min_value=1, max_value=12))
    pool = [f"t{i}" for i in range(vocabulary_size) for _ in range(vocabulary_size // (i + 1))]
    sentence = st.lists(st.sampled_from(pool), max_size=12)
    # rank-bm25 divides by zero on a corpus without tokens; that case is tested above.
    corpus = draw(st.lists(sentence, min_size=1, max_size=30).filter(any))
    return corpus, pool


@st.composite
def corpora_with_queries(draw: st.DrawFn) -> tuple[Corpus, list[str]]:
    corpus, pool = draw(zipf_corpora())
    query = draw(st.lists(st.sampled_from([*pool, "unseen"]), max_size=5))
    return corpus, query


@settings(max_examples=200, deadline=None)
@given(corpora_with_queries())
def test_scores_equal_rank_bm25_on_generated_corpora(case: tuple[Corpus, list[str]]) -> None:
    corpus, query = case
    expected = BM25Okapi(corpus).get_scores(query)
    assert_identical(BM25Index.build(corpus).scores(query), expected)


@settings(max_examples=150, deadline=None)
@given(corpora_with_queries(), st.integers(min_value=1, max_value=8))
def test_top_and_matching_agree_with_rank_bm25_on_generated_corpora(
    case: tuple[Corpus, list[str]], k: int
) -> None:
    corpus, query = case
    index = BM25Index.build(corpus)
    assert index.top(query, k) == expected_top(corpus, query, k)
    assert index.matching(query).tolist() == sentences_containing(corpus, query)


# --- pruned top-k against the full scores ---------------------------------------------------


@st.composite
def larger_corpora_with_queries(draw: st.DrawFn) -> tuple[Corpus, list[str], int]:
    """Corpora long enough for many blocks of postings per term, so top() really prunes.

    Term i is drawn about 1/(i+1) as often as term 0, sentences repeat terms, and short
    sentences (whose weights are the highest) are common.
    """
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    vocabulary = [f"t{i}" for i in range(draw(st.integers(min_value=1, max_value=40)))]
    weights = [
        1 / (i + 1) ** draw(st.floats(min_value=0.0, max_value=2.0)) for i in range(len(vocabulary))
    ]
    corpus = [
        rng.choices(vocabulary, weights, k=rng.choice((0, 1, 2, 3, 5, 8, 13)))
        for _ in range(draw(st.integers(min_value=1, max_value=600)))
    ]
    query = draw(st.lists(st.sampled_from([*vocabulary, "unseen"]), min_size=1, max_size=4))
    return corpus, query, draw(st.integers(min_value=1, max_value=40))


def stable_top(index: BM25Index, query: list[str], k: int) -> list[Hit]:
    scores = index.scores(query)
    matching = index.matching(query)
    ranked = matching[np.argsort(-scores[matching], kind="stable")][:k]
    return [Hit(int(i), float(scores[i])) for i in ranked]


@settings(max_examples=300, deadline=None)
@given(
    larger_corpora_with_queries(),
    st.integers(min_value=0, max_value=60),
    st.sampled_from([1, 2, 4, 64]),
)
def test_top_is_the_first_k_of_the_full_scores_on_generated_corpora(
    case: tuple[Corpus, list[str], int], impact_postings: int, impact_chunk: int
) -> None:
    corpus, query, k = case
    index = BM25Index.build(corpus)
    expected = stable_top(index, query, k)
    assert index.top(query, k) == expected  # small queries are scored whole
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.index.search, "_DIRECT_POSTINGS", 0)  # the rarest term tried alone
        assert index.top(query, k) == expected
        patch.setattr(bot.index.search, "_RARE_POSTINGS", 0)  # every query pruned
        assert index.top(query, k) == expected
        # Few candidates scored first, so that scoring the rest against their k-th best
        # score runs on small corpora too (and is skipped when k is larger).
        patch.setattr(bot.index.search, "_SCORED_FIRST", 12)
        assert index.top(query, k) == expected
        # Terms kept in impact order on small corpora, in small chunks, so that top() bounds
        # with a part of their postings read.
        patch.setattr(bot.index.layout, "IMPACT_CHUNK", impact_chunk)
        ordered = BM25Index.build(corpus, impact_postings=impact_postings)
        assert ordered.top(query, k) == expected
        # The threshold seeded from short heads of the impact order, not whole ones.
        patch.setattr(bot.index.search, "_HEAD_POSTINGS", 8)
        patch.setattr(bot.index.search, "_SEED_POSTINGS", 2)
        assert ordered.top(query, k) == expected
        # Terms in impact order keep dense weight levels: queries of them are answered from
        # cut heads of their impact orders, seeded from a few of their first sentences.
        patch.setattr(bot.index.layout, "DENSE_SHARE", 1000)
        dense = BM25Index.build(corpus, impact_postings=impact_postings)
        assert dense.top(query, k) == expected
        patch.setattr(bot.index.search, "_DENSE_SEEDS", 1)
        assert dense.top(query, k) == expected
        # Dense terms pruned with the exact weights they read, in the other paths.
        patch.setattr(bot.index.search, "_DENSE_TERMS", 0)
        assert dense.top(query, k) == expected


@pytest.mark.parametrize("impact_postings", [bot.index.layout.IMPACT_POSTINGS, 0, 1000])
def test_top_prunes_exactly_on_many_ties_and_repeated_terms(impact_postings: int) -> None:
    # Thousands of equal scores across many blocks: ties must still go to the lowest ids.
    rng = random.Random(7)
    corpus = [rng.choice([["a", "b"], ["a"], ["b", "c", "a"], ["c"]]) for _ in range(5000)]
    index = BM25Index.build(corpus, impact_postings=impact_postings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.index.search, "_DIRECT_POSTINGS", 0)
        for rare_postings in (bot.index.search._RARE_POSTINGS, 0):
            patch.setattr(bot.index.search, "_RARE_POSTINGS", rare_postings)
            for query in (["a"], ["a", "b"], ["c", "a", "c"], ["b", "b", "b"]):
                for k in (1, 10, 100, 3000):
                    assert index.top(query, k) == stable_top(index, query, k)


@pytest.mark.parametrize("impact_postings", [0, 300])
def test_top_prunes_exactly_with_common_terms_repeated_in_sentences(impact_postings: int) -> None:
    # Like the synthetic corpus: common words up to 8 times in a sentence, so every block of
    # their postings holds a high weight, and many sentences tie.
    rng = random.Random(11)
    common = ["a", "b", "c", "d"]
    corpus = [
        [word for word in common for _ in range(rng.choice((0, 0, 1, 1, 2, 8)))]
        + rng.choices(["e", "f", "g", "h", "i"], k=rng.choice((0, 1, 3)))
        for _ in range(4000)
    ]
    index = BM25Index.build(corpus, impact_postings=impact_postings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.index.search, "_DIRECT_POSTINGS", 0)
        patch.setattr(bot.index.search, "_SCORED_FIRST", 64)
        for rare_postings in (bot.index.search._RARE_POSTINGS, 0):
            patch.setattr(bot.index.search, "_RARE_POSTINGS", rare_postings)
            for query in (
                ["a", "b"],
                ["a", "b", "c"],
                ["e", "a", "d"],
                ["a", "a", "b"],
                ["f", "g"],
            ):
                for k in (1, 10, 50):
                    assert index.top(query, k) == stable_top(index, query, k)


def test_top_takes_the_best_from_the_rarest_terms_sentences_only_when_no_other_can_reach_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(5)
    words = [f"w{number}" for number in range(50)]
    weights = [1 / (number + 1) for number in range(50)]
    corpus = [rng.choices(words, weights, k=rng.randint(1, 8)) for _ in range(3000)]
    for number in range(0, 3000, 150):
        corpus[number] = [*corpus[number], "rare"]  # 20 sentences
    index = BM25Index.build(corpus)
    monkeypatch.setattr(bot.index.search, "_DIRECT_POSTINGS", 0)
    pruned_searches: list[list[int]] = []
    threshold = bot.index.search._threshold

    def counted(search_index: BM25Index, terms: list[int], *rest: Any) -> Any:
        pruned_searches.append(terms)
        return threshold(search_index, terms, *rest)

    monkeypatch.setattr(bot.index.search, "_threshold", counted)
    # The commonest words cannot add up to what "rare" gives its sentences: they are searched
    # alone.
    for k in (1, 10, 20):
        assert index.top(["rare", "w0", "w1"], k) == stable_top(index, ["rare", "w0", "w1"], k)
    assert pruned_searches == []
    # A word almost as rare can outscore them: the pruned search runs, and is as exact.
    for query in (["rare", "w45"], ["w0", "rare", "w49", "w48"]):
        for k in (1, 10, 25):
            assert index.top(query, k) == stable_top(index, query, k)
    assert pruned_searches


@pytest.mark.parametrize("slot_bits", [16, 2])
def test_dense_levels_give_every_sentence_its_weight_of_the_commonest_terms(
    monkeypatch: pytest.MonkeyPatch, slot_bits: int
) -> None:
    rng = random.Random(3)
    corpus = [rng.choices("abcd", [8, 4, 2, 1], k=rng.randint(0, 9)) for _ in range(900)]
    monkeypatch.setattr(bot.index.layout, "DENSE_SHARE", 4)
    # With 4 hash slots most terms' weights collide in every hash: they are left out.
    monkeypatch.setattr(bot.index.bm25, "_LEVEL_SLOTS_BITS", slot_bits)
    index = BM25Index.build(corpus, impact_postings=50)
    common = [
        number
        for term, number in index.vocabulary.items()
        if index.document_frequency(term) * 4 >= len(corpus)
    ]
    dense = index.dense_terms.tolist()
    assert dense == common if slot_bits == 16 else set(dense) < set(common)
    for row, term in enumerate(dense):
        weights = np.zeros(len(corpus))
        weights[index.sentences_of(term)] = index.weights[index.span(term)]
        assert index.dense_weights[row][index.dense_levels[row]].tobytes() == weights.tobytes()


def test_term_with_more_than_255_distinct_weights_keeps_no_dense_levels() -> None:
    corpus = [["a", *["b"] * length] for length in range(300)]
    index = BM25Index.build(corpus, impact_postings=10)
    assert index.dense_terms.tolist() == []
    assert index.top(["a", "b"], 10) == stable_top(index, ["a", "b"], 10)


def test_impact_order_holds_common_terms_by_weight_descending() -> None:
    rng = random.Random(3)
    corpus = [rng.choices("abcd", [8, 4, 2, 1], k=rng.randint(1, 9)) for _ in range(900)]
    index = BM25Index.build(corpus, impact_postings=100)
    chunks = np.arange(len(index.impact_ids)) // bot.index.layout.IMPACT_CHUNK
    for term, number in index.vocabulary.items():
        span = slice(index.offsets[number], index.offsets[number + 1])
        weight_of = np.zeros(len(index))
        weight_of[index.sentence_ids[span]] = index.weights[span]
        part = slice(index.impact_offsets[number], index.impact_offsets[number + 1])
        ids = index.impact_ids[part]
        if index.document_frequency(term) <= 100:
            assert len(ids) == 0
            continue
        assert np.array_equal(np.sort(ids), index.matching([term]))
        assert np.all(weight_of[ids][1:] <= weight_of[ids][:-1])
        assert np.all(weight_of[ids] <= index.impact_maxima[chunks[part]])
    assert len(index.impact_maxima) == -(-len(index.impact_ids) // bot.index.layout.IMPACT_CHUNK)


# --- segments ---------------------------------------------------------------------------------


def assert_same_index(actual: BM25Index, expected: BM25Index) -> None:
    assert list(actual.vocabulary.items()) == list(expected.vocabulary.items())
    assert len(actual) == len(expected)
    names = ("offsets", "sentence_ids", "weights", "idfs", "block_maxima")
    impact = ("impact_offsets", "impact_ids", "impact_maxima")
    for name in (*names, *impact, "dense_terms", "dense_levels", "dense_weights"):
        left, right = getattr(actual, name), getattr(expected, name)
        assert left.dtype == right.dtype, name
        assert left.tobytes() == right.tobytes(), name


def split_at(corpus: Corpus, cuts: list[int]) -> list[Corpus]:
    bounds = [0, *sorted(cuts), len(corpus)]
    return [corpus[start:stop] for start, stop in itertools.pairwise(bounds)]


def article_sentences(folder: Path) -> list[Corpus]:
    """Each seed or dev article's sentences as the bot analyzes them, one list per file."""
    corpus = build_corpus((folder,), 5_000_000, workers=1)
    by_document: dict[int, Corpus] = {}
    for sentence in corpus.sentences:
        by_document.setdefault(sentence.doc_index, []).append(analyze(sentence.text))
    return list(by_document.values())


ARTICLE_FOLDERS = [
    pytest.param(SEEDS, id="seeds"),
    pytest.param(
        DEV_DOCS,
        id="dev",
        marks=pytest.mark.skipif(not DEV_DOCS.is_dir(), reason="no dev articles here"),
    ),
]


@pytest.mark.parametrize("folder", ARTICLE_FOLDERS)
def test_index_from_per_file_segments_equals_index_of_all_sentences(folder: Path) -> None:
    files = article_sentences(folder)
    sentences = [sentence for file in files for sentence in file]
    merged = BM25Index.from_segments([IndexSegment.build(file) for file in files])
    assert_same_index(merged, BM25Index.build(sentences))
    query = sentences[0][:3]
    assert_identical(merged.scores(query), BM25Okapi(sentences).get_scores(query))


@settings(max_examples=200, deadline=None)
@given(
    corpora_with_queries(),
    st.lists(st.integers(min_value=0, max_value=30), max_size=6),
)
def test_segments_merge_into_the_index_of_their_sentences(
    case: tuple[Corpus, list[str]], cuts: list[int]
) -> None:
    corpus, query = case
    cuts = [min(cut, len(corpus)) for cut in cuts]  # empty segments included
    segments = [IndexSegment.build(part) for part in split_at(corpus, cuts)]
    # Terms in more than two sentences kept in impact order too.
    merged = BM25Index.from_segments(segments, impact_postings=2)
    expected = BM25Index.build(corpus, impact_postings=2)
    assert_same_index(merged, expected)
    assert_identical(merged.scores(query), BM25Okapi(corpus).get_scores(query))
    # Groups of segments concatenated first (unchanged files kept together) merge the same.
    middle = len(segments) // 2
    groups = [IndexSegment.concatenate(segments[:middle]), *segments[middle:]]
    assert_same_index(BM25Index.from_segments(groups, impact_postings=2), expected)


def assert_same_segment(actual: IndexSegment, expected: IndexSegment) -> None:
    assert actual.terms == expected.terms
    for name in ("offsets", "sentence_ids", "term_frequencies", "sentence_lengths"):
        left, right = getattr(actual, name), getattr(expected, name)
        assert left.dtype == right.dtype, name
        assert left.tobytes() == right.tobytes(), name


@settings(max_examples=200, deadline=None)
@given(
    corpora_with_queries(),
    st.lists(st.integers(min_value=0, max_value=30), max_size=8),
    st.integers(min_value=1, max_value=4),
)
def test_segments_sent_and_added_one_at_a_time_concatenate_into_the_segment_of_their_sentences(
    case: tuple[Corpus, list[str]], cuts: list[int], group: int
) -> None:
    corpus, _ = case
    cuts = [min(cut, len(corpus)) for cut in cuts]  # empty segments included
    segments = [IndexSegment.build(part) for part in split_at(corpus, cuts)]
    # Sent by two processes in turn, as workers send an archive's shares.
    senders = [TermSender(1), TermSender(2)]
    receiver = TermReceiver()
    concatenation = Concatenation(group)
    for number, segment in enumerate(segments):
        received = receiver.received(senders[number % 2].sent(segment))
        assert_same_segment(received.segment(), segment)
        concatenation.add(received)
    assert_same_segment(concatenation.concatenated(), IndexSegment.build(corpus))
    assert_same_segment(concatenation.concatenated(), IndexSegment.concatenate(segments))


@pytest.mark.parametrize("pair_weights", [0, 1 << 18], ids=["computed", "looked_up"])
def test_weights_computed_or_looked_up_equal_rank_bm25(
    monkeypatch: pytest.MonkeyPatch, pair_weights: int
) -> None:
    monkeypatch.setattr(bot.index.bm25, "_PAIR_WEIGHTS", pair_weights)
    corpus = [SEED_SENTENCES[i % 6][i % 5 :] + ["border"] * (i % 7) for i in range(60)]
    index = BM25Index.build(corpus)
    for query in (["russia", "border"], ["defense", "ministry", "said"], ["syria"]):
        assert_identical(index.scores(query), BM25Okapi(corpus).get_scores(query))


@pytest.mark.parametrize("copied_run_postings", [1, 2**62], ids=["copied", "scattered"])
@pytest.mark.parametrize("big_first", [True, False], ids=["big_first", "big_last"])
def test_merge_copies_runs_of_postings_or_scatters_them_alike(
    monkeypatch: pytest.MonkeyPatch, copied_run_postings: int, big_first: bool
) -> None:
    big = [SEED_SENTENCES[i % 6][i % 4 :] for i in range(300)]
    small: list[Corpus] = [[["tax", "border"]], [], [["syria", "syria", "mayor"]]]
    parts = [big, *small] if big_first else [*small, big]
    monkeypatch.setattr(bot.index.segment, "_COPIED_RUN_POSTINGS", copied_run_postings)
    merged = BM25Index.from_segments([IndexSegment.build(p) for p in parts], impact_postings=50)
    sentences = [sentence for part in parts for sentence in part]
    assert_same_index(merged, BM25Index.build(sentences, impact_postings=50))


@pytest.mark.parametrize("merge_postings", [1, 3, 32])
def test_build_read_off_in_small_chunks_equals_rank_bm25(
    monkeypatch: pytest.MonkeyPatch, merge_postings: int
) -> None:
    # Repeated terms make postings of several tokens, which a chunk boundary must not split.
    corpus = [SEED_SENTENCES[i % 6][i % 4 :] + ["border"] * (i % 5) for i in range(100)]
    whole = IndexSegment.build(corpus)
    monkeypatch.setattr(bot.index.layout, "MERGE_POSTINGS", merge_postings)
    chunked = IndexSegment.build(corpus)
    for name in ("offsets", "sentence_ids", "term_frequencies", "sentence_lengths"):
        assert getattr(chunked, name).tobytes() == getattr(whole, name).tobytes(), name
    index = BM25Index.build(corpus)
    for query in (["russia", "border"], ["defense", "ministry", "said"], ["syria"]):
        assert_identical(index.scores(query), BM25Okapi(corpus).get_scores(query))
        assert index.top(query, 5) == expected_top(corpus, query, 5)


def distinct_copies(corpus: Corpus, every: int) -> Corpus:
    """The corpus with every ``every``-th token a new string object equal to the term."""
    tokens = itertools.count()
    return [
        [("#" + term)[1:] if next(tokens) % every == 0 else term for term in sentence]
        for sentence in corpus
    ]


@pytest.mark.parametrize("shared_object_tokens", [0, 2**62], ids=["by_object", "one_by_one"])
@pytest.mark.parametrize("merge_postings", [3, 1 << 20], ids=["small_chunks", "one_chunk"])
@pytest.mark.parametrize("every", [1, 2, 7], ids=["all_copies", "half_copies", "few_copies"])
def test_tokens_numbered_by_object_or_one_by_one_alike(
    monkeypatch: pytest.MonkeyPatch, shared_object_tokens: int, merge_postings: int, every: int
) -> None:
    # Equal terms in different string objects are one term, numbered at its first appearance.
    corpus = distinct_copies(
        [SEED_SENTENCES[i % 6][i % 4 :] + ["border"] * (i % 5) for i in range(100)], every
    )
    first_appearance = dict.fromkeys(term for sentence in corpus for term in sentence)
    monkeypatch.setattr(bot.index.segment, "_SHARED_OBJECT_TOKENS", shared_object_tokens)
    monkeypatch.setattr(bot.index.layout, "MERGE_POSTINGS", merge_postings)
    segment = IndexSegment.build(corpus)
    assert segment.terms == tuple(first_appearance)
    index = BM25Index.build(corpus)
    for query in (["russia", "border"], ["defense", "ministry", "said"], ["syria"]):
        assert_identical(index.scores(query), BM25Okapi(corpus).get_scores(query))
    monkeypatch.undo()
    assert_same_index(index, BM25Index.build(corpus))


def test_tokens_are_numbered_one_by_one_when_numpy_shows_no_object_addresses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Reading an object array's addresses is CPython and numpy layout; a numpy that refuses
    # to hand them out must cost speed, not the build.
    corpus = [SEED_SENTENCES[i % 6] for i in range(50)]
    expected = BM25Index.build(corpus)
    frombuffer = np.frombuffer

    def refusing(buffer: object, *args: object, **kwargs: object) -> object:
        if isinstance(buffer, np.ndarray) and buffer.dtype == object:
            raise ValueError("cannot expose the buffer of an object array")
        return frombuffer(buffer, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(np, "frombuffer", refusing)
    assert_same_index(BM25Index.build(corpus), expected)


def test_segment_numbers_its_terms_and_sentences_locally() -> None:
    segment = IndexSegment.build([["tax", "vote", "tax"], [], ["vote", "mayor"]])
    assert segment.terms == ("tax", "vote", "mayor")
    assert len(segment) == 3
    assert segment.offsets.tolist() == [0, 1, 3, 4]
    assert segment.sentence_ids.tolist() == [0, 0, 2, 2]
    assert segment.term_frequencies.tolist() == [2, 1, 1, 1]
    assert segment.sentence_lengths.tolist() == [3, 0, 2]


def test_no_segments_make_an_empty_index() -> None:
    index = BM25Index.from_segments([])
    assert len(index) == index.vocabulary_size == 0
    assert index.top(["tax"], 3) == []


# --- saving and loading -------------------------------------------------------------------


def test_saved_index_loads_identical_and_memory_mapped(tmp_path: Path) -> None:
    corpus = [SEED_SENTENCES[i % 6] for i in range(2000)]
    index = BM25Index.build(corpus, impact_postings=100)
    index.save(tmp_path / "index")
    loaded = BM25Index.load(tmp_path / "index")
    assert_same_index(loaded, index)
    assert isinstance(loaded.weights, np.memmap)
    assert not loaded.weights.flags.writeable
    query = ["turkish", "border", "syria"]
    assert_identical(loaded.scores(query), index.scores(query))
    assert loaded.top(query, 5) == index.top(query, 5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.index.search, "_DIRECT_POSTINGS", 0)  # pruned over mapped arrays
        assert loaded.top(query, 5) == index.top(query, 5)


@pytest.mark.parametrize("corpus", [[], [[], []], SEED_SENTENCES], ids=["none", "empty", "seed"])
def test_saved_segment_loads_identical(tmp_path: Path, corpus: Corpus) -> None:
    segment = IndexSegment.build(corpus)
    segment.save(tmp_path / "segment")
    loaded = IndexSegment.load(tmp_path / "segment")
    assert loaded.terms == segment.terms
    for name in ("offsets", "sentence_ids", "term_frequencies", "sentence_lengths"):
        assert getattr(loaded, name).tobytes() == getattr(segment, name).tobytes(), name
    assert_same_index(BM25Index.from_segments([loaded]), BM25Index.build(corpus))


def test_saving_over_a_loaded_index_leaves_it_readable(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    BM25Index.build(SEED_SENTENCES * 500).save(folder)
    loaded = BM25Index.load(folder)
    before = loaded.scores(["border"])
    BM25Index.build(CORPORA["term_in_most_sentences"]).save(folder)
    assert_identical(loaded.scores(["border"]), before)
    assert len(BM25Index.load(folder)) == 4


def _pickled_array(path: Path) -> None:
    np.save(path, np.array([{"not": "data"}], dtype=object), allow_pickle=True)


DAMAGES = {
    "no_manifest": lambda folder: (folder / "manifest.json").unlink(),
    "manifest_not_json": lambda folder: (folder / "manifest.json").write_text("{ no"),
    "other_format": lambda folder: (folder / "manifest.json").write_text(
        (folder / "manifest.json")
        .read_text()
        .replace(f'"format": {bot.index.storage.FORMAT}', '"format": 0')
    ),
    "garbage_array": lambda folder: (folder / "weights.npy").write_bytes(b"garbage"),
    "truncated_array": lambda folder: (folder / "weights.npy").write_bytes(
        (folder / "weights.npy").read_bytes()[:-100]
    ),
    "missing_array": lambda folder: (folder / "idfs.npy").unlink(),
    "pickled_array": lambda folder: _pickled_array(folder / "offsets.npy"),
    "wrong_dtype": lambda folder: np.save(folder / "sentence_ids.npy", np.zeros(3)),
    "ids_out_of_range": lambda folder: np.save(
        folder / "sentence_ids.npy",
        np.full_like(np.load(folder / "sentence_ids.npy"), 10**6),
    ),
    "impact_ids_out_of_range": lambda folder: np.save(
        folder / "impact_ids.npy", np.full_like(np.load(folder / "impact_ids.npy"), 10**6)
    ),
    "impact_order_shorter_than_postings": lambda folder: np.save(
        folder / "impact_offsets.npy", np.load(folder / "impact_offsets.npy") // 2
    ),
    "missing_impact_maxima": lambda folder: (folder / "impact_maxima.npy").unlink(),
    "dense_levels_of_fewer_sentences": lambda folder: np.save(
        folder / "dense_levels.npy", np.load(folder / "dense_levels.npy")[:, :-1]
    ),
    "dense_terms_out_of_range": lambda folder: np.save(
        folder / "dense_terms.npy", np.load(folder / "dense_terms.npy") + 10**6
    ),
    "terms_not_utf8": lambda folder: np.save(
        folder / "terms_text.npy", np.full_like(np.load(folder / "terms_text.npy"), 0xFF)
    ),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=list(DAMAGES))
def test_damaged_saved_index_raises_index_format_error(tmp_path: Path, damage: object) -> None:
    folder = tmp_path / "index"
    index = BM25Index.build(SEED_SENTENCES * 300, impact_postings=100)
    assert len(index.dense_terms)
    index.save(folder)
    damage(folder)  # type: ignore[operator]
    with pytest.raises(IndexFormatError):
        BM25Index.load(folder)


def test_segment_folder_is_not_an_index(tmp_path: Path) -> None:
    IndexSegment.build(SEED_SENTENCES).save(tmp_path / "segment")
    with pytest.raises(IndexFormatError):
        BM25Index.load(tmp_path / "segment")
    with pytest.raises(IndexFormatError):
        IndexSegment.load(tmp_path / "nothing")
