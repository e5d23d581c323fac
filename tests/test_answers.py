"""The answer engine: questions understood, statements retrieved, grouped, and explained when
nobody is quoted. Real seed sentences where they show the behaviour, small made-up articles
where one rule has to be isolated."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import Answer, answer, sources_listing, speakers_listing
from bot.answers.questions import MAX_QUESTION_CHARS, read_question
from bot.corpus import Corpus, build_corpus

SEED_SPEAKERS = {"zakharova", "maria zakharova", "konashenkov", "russia"}


def _is_seed_speaker(phrase: str) -> bool:
    return phrase.casefold() in SEED_SPEAKERS


def corpus_of(folder: Path, **articles: str) -> Corpus:
    """A corpus of made-up articles, one file per keyword argument."""
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return build_corpus((folder,), max_file_bytes=1_000_000)


def speakers(reply: Answer) -> list[str]:
    return [group.speaker.name for group in reply.groups]


def quotes(reply: Answer) -> list[str]:
    return [result.excerpt for result in reply.results]


# --- Reading questions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind", "speaker", "topic"),
    [
        ("who said what about Azaz?", "topic", None, "Azaz"),
        (
            "Who said what about the chemical attack in Idlib?",
            "topic",
            None,
            "the chemical attack in Idlib",
        ),
        ("who talked about the peace talks in Geneva?", "topic", None, "the peace talks in Geneva"),
        ("who mentioned Idlib", "topic", None, "Idlib"),
        ("anything on Aleppo?", "topic", None, "Aleppo"),
        ("who said anything about Idlib?", "topic", None, "Idlib"),
        ("what was said about Kilis", "topic", None, "Kilis"),
        ("WHO SAID WHAT ABOUT AZAZ", "topic", None, "AZAZ"),
        ("please tell me who said what about Azaz, thanks", "topic", None, "Azaz"),
        ("Azaz", "topic", None, "Azaz"),
        ("what did Zakharova say?", "speaker", "Zakharova", None),
        ("what has Konashenkov said", "speaker", "Konashenkov", None),
        ("quotes from Maria Zakharova", "speaker", "Maria Zakharova", None),
        ("Zakharova", "speaker", "Zakharova", None),
        ("what did Zakharova say about Turkey?", "speaker", "Zakharova", "Turkey"),
        (
            "What did the Russian military say about the strikes?",
            "speaker",
            "the Russian military",
            "the strikes",
        ),
        (
            "What did Russia's Defense Ministry report about militants killed?",
            "speaker",
            "Russia's Defense Ministry",
            "militants killed",
        ),
        ("Zakharova on Turkey", "speaker", "Zakharova", "Turkey"),
        ("how did Russia react to the talks?", "speaker", "Russia", "the talks"),
        ("who said the talks may be delayed?", "claim", None, "the talks may be delayed"),
        ("who said Turkey is arming terrorists?", "claim", None, "Turkey is arming terrorists"),
        ("Who called for a UN investigation?", "claim", None, "a UN investigation"),
        ("who denied any involvement", "claim", None, "any involvement"),
        (
            "Who warned about militants using fortifications?",
            "claim",
            None,
            "militants using fortifications",
        ),
        ("Which officials spoke about Idlib?", "topic", None, "Idlib"),
        ("which minister accused Ankara?", "claim", None, "Ankara"),
        ("what's Zakharova's position on Turkey?", "speaker", "Zakharova", "Turkey"),
        ("", "empty", None, None),
        ("  ?!  ", "empty", None, None),
    ],
)
def test_question_is_read_into_kind_speaker_and_topic(
    question: str, kind: str, speaker: str | None, topic: str | None
) -> None:
    asked = read_question(question, _is_seed_speaker)
    assert (asked.kind, asked.speaker, asked.topic) == (kind, speaker, topic)


def test_a_bare_word_that_names_nobody_is_a_topic() -> None:
    assert read_question("Kilis", _is_seed_speaker).kind == "topic"
    assert read_question("Kilis on Turkey", _is_seed_speaker).topic == "Kilis on Turkey"


def test_control_characters_and_long_input_are_cleaned_before_reading() -> None:
    asked = read_question(
        "\x00who said\x07 what\u200b about\x1b Azaz?" + " x" * 6000, _is_seed_speaker
    )
    assert "\x00" not in asked.text and "\x1b" not in asked.text
    assert len(asked.text) <= MAX_QUESTION_CHARS + 1


# --- Answers from the seed articles -------------------------------------------------------


AZAZ_CORRIDOR = "some Western countries had called on Moscow"
AZAZ_CONTINUATION = "Obviously, this (the request) is aimed"


@pytest.mark.parametrize(
    "question",
    ["who said what about Azaz?", "Azaz", "azaz", "who mentioned Azaz", "anything on Azaz?"],
)
def test_topic_answer_holds_the_statement_and_its_continuation(
    seed_corpus: Corpus, question: str
) -> None:
    reply = answer(seed_corpus, question)
    assert speakers(reply) == ["Maria Zakharova"]
    found = quotes(reply)
    assert any(q.startswith(AZAZ_CORRIDOR) for q in found)
    assert any(q.startswith(AZAZ_CONTINUATION) for q in found)


@pytest.mark.parametrize(
    "question",
    [
        "what did Zakharova say?",
        "quotes from Maria Zakharova",
        "Zakharova",
        "zakharova",
        "MARIA ZAKHAROVA",
        "Zaharova",
        "what did maria zaharova say",
    ],
)
def test_speaker_is_found_by_any_name_case_and_typo(seed_corpus: Corpus, question: str) -> None:
    reply = answer(seed_corpus, question)
    assert speakers(reply) == ["Maria Zakharova"]
    assert len(reply.results) >= 6


@pytest.mark.parametrize("question", ["what did Konashenkov say?", "what has Konashenkov said"])
def test_speaker_question_returns_all_their_statements(seed_corpus: Corpus, question: str) -> None:
    reply = answer(seed_corpus, question)
    assert speakers(reply) == ["Igor Konashenkov"]
    assert len(reply.results) == 3


@pytest.mark.parametrize(
    "question", ["What did Zakharova say about Turkey?", "Zakharova on Turkey"]
)
def test_speaker_and_topic_keeps_only_the_speaker_on_the_topic(
    seed_corpus: Corpus, question: str
) -> None:
    reply = answer(seed_corpus, question)
    assert speakers(reply) == ["Maria Zakharova"]
    found = quotes(reply)
    assert any("got serious reinforcements from Turkey" in q for q in found)
    assert any(q.startswith(AZAZ_CORRIDOR) for q in found)


def test_claim_question_returns_only_who_made_the_claim(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "who said the talks may be delayed?")
    assert quotes(reply) == ["the talks may be delayed"]
    assert speakers(reply) == ["UN"]


def test_a_claim_comes_with_what_its_speaker_says_in_the_same_sentence(tmp_path: Path) -> None:
    article = (
        "Corridor row\n2016-02-16\n\n"
        "Opposition leader Anna Petrova reiterated calls for the reopening of the Azaz "
        'corridor, warning: "This issue will not go away." '
        '"The winter is long," Petrova said.\n'
    )
    reply = answer(
        corpus_of(tmp_path, article=article), "who called for the Azaz corridor to be reopened?"
    )
    assert quotes(reply) == [
        "reiterated calls for the reopening of the Azaz corridor",
        "This issue will not go away.",
    ]


def test_multi_word_topic_finds_statements_naming_part_of_it_in_an_article_on_it(
    seed_corpus: Corpus,
) -> None:
    found = quotes(answer(seed_corpus, "who talked about the peace talks in Geneva?"))
    assert "the talks may be delayed" in found
    assert any("negotiations in the city of Geneva" in q for q in found)
    assert any("ahead of peace talks" in q for q in found)


def test_demonym_in_a_statement_answers_for_its_country(seed_corpus: Corpus) -> None:
    found = quotes(answer(seed_corpus, "who said what about Idlib?"))
    assert any(
        "Turkish-Syrian border at nighttime to supply terrorists in Idlib" in q for q in found
    )
    turkey = quotes(answer(seed_corpus, "what did Konashenkov say about Turkey?"))
    assert any("smuggled across the Turkish-Syrian border" in q for q in turkey)


def test_speakers_come_in_order_of_their_best_statement_and_statements_in_document_order(
    seed_corpus: Corpus,
) -> None:
    reply = answer(seed_corpus, "who said what about Aleppo?")
    assert len(reply.groups) >= 2
    best = [max(r.score for r in group.results) for group in reply.groups]
    assert best == sorted(best, reverse=True)
    for group in reply.groups:
        positions = [(r.statement.doc_index, r.statement.quote_start) for r in group.results]
        assert positions == sorted(positions)


def test_results_carry_source_title_outlet_and_date(seed_corpus: Corpus) -> None:
    result = answer(seed_corpus, "who said the talks may be delayed?").results[0]
    assert result.document.title and result.document.date == "2016-01-21"
    assert result.speaker.name == result.statement.speaker_name


def test_excerpt_is_the_published_text(seed_corpus: Corpus) -> None:
    results = answer(seed_corpus, "what did Zakharova say?").results
    for result in results:
        published = result.document.source_text[
            result.statement.quote_start : result.statement.quote_end
        ]
        assert " ".join(published.split()).startswith(result.excerpt)
    assert any("they’re trying to turn the tide" in r.excerpt for r in results)


def test_question_terms_are_highlighted_in_the_excerpts(seed_corpus: Corpus) -> None:
    result = answer(seed_corpus, "who said what about Azaz?").results[0]
    assert [result.excerpt[a:b] for a, b in result.highlights] == ["Azaz"]


# --- Nobody quoted ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("who said what about Kilis?", "not_quoted"),
        ("who said what about Crimea?", "not_found"),
        ("what did Obama say about Syria?", "unknown_speaker"),
        ("what did Obama say?", "unknown_speaker"),
        ("what did Zakharova say about Crimea?", "speaker_silent"),
        ("", "empty"),
        ("   ", "empty"),
        ("who said what about the?", "no_terms"),
        ("what did people say?", "no_terms"),
    ],
)
def test_nobody_quoted_says_why(seed_corpus: Corpus, question: str, status: str) -> None:
    reply = answer(seed_corpus, question)
    assert reply.status == status
    assert reply.results == ()


def test_topic_mentioned_but_not_quoted_names_where(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "who said what about Kilis?")
    assert [d.doc_id for d in reply.mentioned_in] == ["000_c95f25a13bd07841.txt"]


def test_a_bare_name_of_a_speaker_and_a_topic_answers_the_speaker_and_counts_the_rest(
    seed_corpus: Corpus,
) -> None:
    reply = answer(seed_corpus, "Russia")
    assert speakers(reply)[0] == "Russia"
    assert reply.others_quoted == len(answer(seed_corpus, "who said what about Russia?").results)
    assert reply.others_quoted > 0


def test_a_speaker_nobody_speaks_of_is_pointed_to_their_own_words(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "who said what about Konashenkov?")
    assert reply.status == "not_quoted"
    assert [speaker.name for speaker in reply.speakers] == ["Igor Konashenkov"]


def test_absent_topic_suggests_close_words(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "who said what about Alepo?")
    assert reply.status == "not_found"
    assert "Aleppo" in reply.suggestions


def test_unknown_speaker_suggests_close_names(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "what did Zakharov Maria say about Geneva?")
    assert reply.status in {"answered", "unknown_speaker"}
    if reply.status == "unknown_speaker":
        assert "Maria Zakharova" in reply.suggestions


def test_generic_speaker_asks_about_the_topic_from_anyone(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "what did officials say about Azaz?")
    assert speakers(reply) == ["Maria Zakharova"]


def test_speaker_silent_counts_what_others_said(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "what did Konashenkov say about Azaz?")
    assert reply.status == "speaker_silent"
    assert reply.others_quoted >= 1


# --- Rules isolated in made-up articles ---------------------------------------------------

CORRIDOR = """Corridor talks stall
2016-02-16

Anna Petrova said Western countries had asked Moscow to spare the corridor around Azaz.

"This request is aimed at keeping supply routes open," she said.

John Smith said the weather in the region was mild.

"Nothing will change before spring," Smith said.
"""

CITY = """City hall news
2016-03-01

The city council met on Monday in the city centre.

Mayor Tom Baker said the city budget was balanced.

The city library opened a new wing, and the city park was cleaned.

Officials said the city would hire more teachers.
"""


def test_continuation_belongs_to_the_same_speaker_only(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, corridor=CORRIDOR)
    reply = answer(corpus, "who said what about Azaz?")
    assert speakers(reply) == ["Anna Petrova"]
    assert quotes(reply)[1].startswith("This request is aimed")


def test_what_leads_up_to_a_statement_in_its_paragraph_belongs_with_it(tmp_path: Path) -> None:
    article = (
        "Border news\n2016-02-16\n\n"
        "Anna Petrova said the trucks were waiting at the crossing.\n\n"
        "John Smith said the winter had been hard. "
        "Smith said the road to Azaz was closed to aid convoys.\n"
    )
    reply = answer(corpus_of(tmp_path, article=article), "who said what about Azaz?")
    assert quotes(reply) == [
        "the winter had been hard",
        "the road to Azaz was closed to aid convoys",
    ]


def test_what_leads_up_to_a_statement_from_another_paragraph_is_left_out(
    tmp_path: Path,
) -> None:
    article = (
        "Border news\n2016-02-16\n\n"
        "John Smith said the winter had been hard.\n\n"
        "Smith said the road to Azaz was closed to aid convoys.\n"
    )
    reply = answer(corpus_of(tmp_path, article=article), "who said what about Azaz?")
    assert quotes(reply) == ["the road to Azaz was closed to aid convoys"]


def test_a_speakers_words_on_a_name_the_topic_is_about_belong_wherever_said(
    tmp_path: Path,
) -> None:
    corpus = corpus_of(
        tmp_path,
        affair="Report row\n2016-02-16\n\nAnna Petrova said Parliament had been misled.\n",
        later=(
            "Report row goes on\n2016-02-17\n\n"
            "Anna Petrova said the weather was mild.\n\n"
            "Anna Petrova said Parliament had only received a summary of the report.\n\n"
            "The report was written last year. It runs to forty pages. Few have read it.\n"
        ),
    )
    reply = answer(corpus, "What did Anna Petrova say about whether Parliament was misled?")
    assert sorted(quotes(reply)) == [
        "Parliament had been misled",
        "Parliament had only received a summary of the report",
    ]


def test_a_name_that_only_narrows_the_topic_does_not_stand_for_it(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        strikes="Strikes\n2016-02-16\n\nAnna Petrova said the strikes on Kilis killed ten.\n",
        crossing="Crossing\n2016-02-17\n\nAnna Petrova said the Kilis crossing was shut.\n",
    )
    reply = answer(corpus, "What did Anna Petrova say about the strikes on Kilis?")
    assert quotes(reply) == ["the strikes on Kilis killed ten"]


def test_a_statement_answering_another_on_the_topic_in_its_sentence_is_about_it(
    tmp_path: Path,
) -> None:
    article = (
        "Corridor row\n2016-02-16\n\n"
        "Anna Petrova said she feared the mayor was being misled, after Mayor Tom Baker "
        "said he believed the Azaz corridor was safe.\n"
    )
    reply = answer(corpus_of(tmp_path, article=article), "who said what about the Azaz corridor?")
    assert sorted(speakers(reply)) == ["Anna Petrova", "Tom Baker"]


@pytest.mark.parametrize(
    ("said", "question"),
    [
        ("Moscow had never interfered in the vote", "who said what about interference?"),
        ("the depot was struck by bombs", "who said what about the strikes?"),
        ("the report's publication was delayed", "who said what about publishing the report?"),
        ("he was misled by his aides", "who said what about misleading?"),
    ],
)
def test_a_topic_word_finds_the_forms_the_stemmer_leaves_apart(
    tmp_path: Path, said: str, question: str
) -> None:
    article = (
        f"News\n2016-02-16\n\nAnna Petrova said {said}.\n\n"
        "The weather was mild. Roads were open. Shops were busy.\n"
    )
    reply = answer(corpus_of(tmp_path, article=article), question)
    assert quotes(reply) == [said]


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (
            "The White House said the attack on Azaz was reprehensible.",
            '"These actions cannot be tolerated," White House spokesman Tom Baker told reporters.',
        ),
        (
            "However, Russia has denied any involvement.",
            "Planes of the air force flew no missions near Azaz, Russia's Defence Ministry said.",
        ),
    ],
)
def test_a_continuation_may_come_from_the_same_side(tmp_path: Path, first: str, then: str) -> None:
    """A body and its spokesman, or a country and its ministry, speak for one side."""
    article = f"Attack\n2017-04-05\n\n{first} {then}\n"
    reply = answer(corpus_of(tmp_path, article=article), "who said what about Azaz?")
    assert len(reply.results) == 2


def test_a_statement_sharing_only_a_common_word_is_left_out(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path, corridor=CORRIDOR.replace("around Azaz", "around the city of Azaz"), city=CITY
    )
    reply = answer(corpus, "who said what about the city of Azaz?")
    assert speakers(reply) == ["Anna Petrova"]


def test_a_word_cut_out_of_another_by_the_speakers_pronoun_is_not_the_topic(
    tmp_path: Path,
) -> None:
    """Taking the mention "he" out of "hearts" leaves "arts": not a word of the sentence."""
    corpus = corpus_of(
        tmp_path,
        museum=(
            "Museum reopens in Moscow\n2017-04-05\n\nMajor General Igor Konashenkov visited "
            'the art collection on Monday. "We are ready," he said, a hand on the hearts of many.'
        ),
    )
    reply = answer(corpus, "who said what about art?")
    assert reply.status == "not_quoted"


def test_named_speaker_absent_yields_nothing_from_anyone_else(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, corridor=CORRIDOR)
    reply = answer(corpus, "What did Barack Obama say about Azaz?")
    assert reply.status == "unknown_speaker"
    assert reply.results == ()


@pytest.mark.parametrize(
    ("text", "question", "speaker"),
    [
        (
            "Turkish Foreign Minister Mevlüt Çavuşoğlu said the border would stay closed.",
            "what did Mevlut Cavusoglu say?",
            "Mevlüt Çavuşoğlu",
        ),
        (
            "Turkish Foreign Minister Mevlüt Çavuşoğlu said the border would stay closed.",
            "cavusoglu",
            "Mevlüt Çavuşoğlu",
        ),
        (
            "The World Health Organization said the hospital had run out of medicine.",
            "what did the WHO say?",
            "World Health Organization",
        ),
        (
            "The WHO said the hospital had run out of medicine.",
            "What did the World Health Organization say?",
            "WHO",
        ),
        (
            "British Prime Minister Tony Blair said the advice was a fair summary.",
            "what did Mr Blair say?",
            "Tony Blair",
        ),
    ],
)
def test_speaker_names_match_across_accents_acronyms_and_titles(
    tmp_path: Path, text: str, question: str, speaker: str
) -> None:
    corpus = corpus_of(tmp_path, article=f"A headline\n2017-01-01\n\n{text}\n")
    assert speakers(answer(corpus, question)) == [speaker]


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did the Russian foreign ministry spokeswoman say?", "Maria Zakharova"),
        ("What did the Syrian foreign minister say?", "Walid al-Muallem"),
        ("What did Moscow say?", "Russia"),
        ("What did the United Nations say?", "UN"),
    ],
)
def test_a_speaker_is_found_by_office_or_capital(
    seed_corpus: Corpus, question: str, speaker: str
) -> None:
    assert speakers(answer(seed_corpus, question))[0] == speaker


@pytest.mark.parametrize(
    ("text", "question", "speaker"),
    [
        (
            "The Russian army said the strikes had stopped.",
            "what did the Russian military say?",
            "Russian army",
        ),
        (
            "The United States said the talks had failed.",
            "what did the US say?",
            "United States",
        ),
        (
            "The US State Department said the talks had failed.",
            "what did the United States say?",
            "US State Department",
        ),
        (
            "The General Command said the bombing was an aggression.",
            "What did the Syrian army's General Command say?",
            "General Command",
        ),
    ],
)
def test_a_body_is_found_by_another_usual_name(
    tmp_path: Path, text: str, question: str, speaker: str
) -> None:
    corpus = corpus_of(tmp_path, article=f"A headline\n2017-01-01\n\n{text}\n")
    assert speakers(answer(corpus, question)) == [speaker]


def test_a_country_finds_its_bodies_but_not_people_by_their_role(tmp_path: Path) -> None:
    article = (
        "A headline\n2017-01-01\n\nRussia said the talks would go ahead.\n\n"
        "Russia's Defence Ministry said its planes did not fly over Idlib.\n\n"
        "Russian President Vladimir Putin said the ceasefire would hold.\n"
    )
    reply = answer(corpus_of(tmp_path, article=article), "what did Russia say?")
    assert set(speakers(reply)) == {"Russia", "Russia's Defence Ministry"}


def test_a_quotation_running_over_sentences_comes_whole(tmp_path: Path) -> None:
    article = (
        "Headline\n2017-01-01\n\n"
        '"I believe the Azaz corridor must stay open," Anna Petrova told reporters. '
        '"Nobody can close it without a fight. We will not allow that."\n'
    )
    reply = answer(corpus_of(tmp_path, article=article), "who said what about Azaz?")
    assert len(reply.results) == 3
    assert quotes(reply)[-1] == "We will not allow that."


def test_a_quotation_that_opens_in_the_sentence_before_comes_whole(tmp_path: Path) -> None:
    article = (
        "Headline\n2017-01-01\n\n"
        '"Nobody has asked us. Nobody has talked to us," Anna Petrova told reporters. '
        "She said the road to Azaz had been closed for a week.\n"
    )
    reply = answer(corpus_of(tmp_path, article=article), "who said what about Azaz?")
    assert quotes(reply) == [
        "Nobody has asked us.",
        "Nobody has talked to us",
        "the road to Azaz had been closed for a week",
    ]


def test_among_equals_the_newest_article_comes_first(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        old="Old news\n2015-05-01\n\nAnna Petrova said the border was closed.\n",
        new="New news\n2017-05-01\n\nAnna Petrova said the border was open.\n",
    )
    reply = answer(corpus, "what did Anna Petrova say?", max_results=1)
    assert quotes(reply) == ["the border was open"]
    assert reply.omitted == 1


def test_result_limit_keeps_the_best_and_counts_the_rest(tmp_path: Path) -> None:
    lines = [f"Speaker Number{n} said the Azaz corridor was open on day {n}." for n in range(12)]
    corpus = corpus_of(tmp_path, many="Azaz\n2017-01-01\n\n" + "\n\n".join(lines) + "\n")
    reply = answer(corpus, "who said what about the Azaz corridor?", max_results=5)
    assert len(reply.results) == 5
    assert reply.omitted == len(corpus.statements) - 5


# --- Listings ----------------------------------------------------------------------------


def test_speakers_listing_counts_statements_most_quoted_first(seed_corpus: Corpus) -> None:
    entries = speakers_listing(seed_corpus).entries
    assert entries[0].speaker.name == "Maria Zakharova"
    assert sum(entry.statements for entry in entries) == len(seed_corpus.statements)
    counts = [entry.statements for entry in entries]
    assert counts == sorted(counts, reverse=True)


def test_sources_listing_counts_each_document_newest_first(seed_corpus: Corpus) -> None:
    entries = sources_listing(seed_corpus).entries
    assert [e.document.doc_id for e in entries] == [
        "004_5693fbc6e7f5f2c4.txt",
        "000_c95f25a13bd07841.txt",
    ]
    assert sum(entry.statements for entry in entries) == len(seed_corpus.statements)
    assert all(entry.sentences > 0 and entry.speakers > 0 for entry in entries)


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "",
        " \t\n ",
        "who said what about the?",
        "x" * 10_000,
        "who said what about " + "Azaz " * 2_000,
        "🙂🙂🙂",
        "who said what about 🙂?",
        "Кто что сказал об Азазе?",
        "谁说了什么",
        "<b>who</b> said what about <i>Azaz</i>?",
        "<script>alert('x')</script>",
        "**who said** what about _Azaz_?",
        "\x00\x07who said\x1b[31m what about Azaz\x7f",
        "\ud800 Azaz \udfff",
        "\u202eAzaz\u200f",
        "'; DROP TABLE statements; --",
    ],
)
def test_any_input_gets_an_answer_not_an_exception(seed_corpus: Corpus, question: str) -> None:
    reply = answer(seed_corpus, question)
    assert reply.status in {
        "answered",
        "empty",
        "no_terms",
        "unknown_speaker",
        "speaker_silent",
        "not_quoted",
        "not_found",
    }
    assert len(reply.question.text) <= MAX_QUESTION_CHARS + 1
    assert all(not 0xD800 <= ord(c) <= 0xDFFF for c in reply.question.text)


@pytest.mark.parametrize(
    "question",
    [
        "<b>who</b> said what about <i>Azaz</i>?",
        "**who said** what about _Azaz_?",
        "\x00\x07who said\x1b[31m what about Azaz\x7f",
        "who said what about " + "Azaz " * 2_000,
    ],
)
def test_markup_and_control_characters_do_not_hide_the_question(
    seed_corpus: Corpus, question: str
) -> None:
    assert speakers(answer(seed_corpus, question)) == ["Maria Zakharova"]
