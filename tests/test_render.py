"""Rendering: quotes exactly as published, reported speech never quoted, speaker and source,
highlights, escaping, and Telegram pages that stay under the limit and never split a tag."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import Answer, answer, sources_listing, speakers_listing
from bot.corpus import Corpus, build_corpus
from bot.render import TELEGRAM_LIMIT, plain, telegram_pages, telegram_statement

TELEGRAM_TAGS = {"b", "i", "u"}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class _TelegramHtml(HTMLParser):
    """Reads a page as Telegram would: only its tags, each closed, text and entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS and not attrs, f"tag Telegram refuses: <{tag}>"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible_text(page: str) -> str:
    """The text of a valid Telegram HTML page; fails on anything Telegram would reject."""
    assert len(page.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
    for tag in re.findall(r"<[^>]*>", page):
        assert re.fullmatch(r"</?[biu]>", tag), f"not a Telegram tag: {tag}"
    assert "<" not in re.sub(r"</?[biu]>", "", page)
    for ampersand in re.finditer("&", page):
        assert _ENTITY.match(page, ampersand.start()), "a bare & in the HTML"
    parser = _TelegramHtml()
    parser.feed(page)
    parser.close()
    assert parser.open == [], "a tag left open"
    return "".join(parser.text)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def corpus_of(folder: Path, **articles: str) -> Corpus:
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return build_corpus((folder,), max_file_bytes=2_000_000)


# --- Quotes, reported speech, speaker, source ---------------------------------------------


def test_direct_quote_stands_in_quotation_marks_exactly_as_published(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "what did Zakharova say?")
    words = "“Obviously, they’re trying to turn the tide in their favor on the battlefield”"
    assert words in plain(reply)
    assert words in visible_text(telegram_pages(reply)[0])


def test_reported_speech_is_marked_as_reported_never_quoted(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "who said the talks may be delayed?")
    assert reply.results[0].statement.kind != "direct"
    text = plain(reply)
    assert "reported: the talks may be delayed" in text
    assert "“the talks may be delayed" not in text
    page = telegram_pages(reply)[0]
    assert "<i>reported:</i> the <u>talks</u> may be <u>delayed</u>\n" in page
    assert "“the talks may be delayed" not in visible_text(page)


def test_speaker_is_bold_with_role_and_each_statement_has_its_source(seed_corpus: Corpus) -> None:
    page = telegram_pages(answer(seed_corpus, "who said what about Azaz?"))[0]
    assert "<b>Maria Zakharova</b>, Russia's Foreign Ministry spokeswoman" in page
    source = "— Terrorists in Syria get arms via Turkey border: Russia, Press TV"
    assert page.count(source) == 2


def test_source_line_gives_the_date(seed_corpus: Corpus) -> None:
    text = plain(answer(seed_corpus, "who said the talks may be delayed?"))
    assert "21 Jan 2016" in text


def test_question_terms_are_underlined_in_html_only(seed_corpus: Corpus) -> None:
    reply = answer(seed_corpus, "who said what about Azaz?")
    assert "the city of <u>Azaz</u> in order" in telegram_pages(reply)[0]
    assert "<u>" not in plain(reply)


def test_plain_text_has_no_markup(seed_corpus: Corpus) -> None:
    text = plain(answer(seed_corpus, "What did Zakharova say about Turkey?"))
    assert not re.search(r"</?[a-z]+>", text)
    assert text.startswith("Statements by Maria Zakharova about “Turkey”\n")


# --- Escaping ----------------------------------------------------------------------------

HOSTILE = """Tarsus <b>talks</b> & "more"
2017-01-01

Ali Veli said the Tarsus deal was <script>alert(1)</script> & done.

"Tarsus is 5 > 3 & <i>safe</i>," Veli said.
"""


def test_every_corpus_string_is_escaped(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, hostile=HOSTILE)
    reply = answer(corpus, "who said what about Tarsus?")
    assert reply.status == "answered"
    page = telegram_pages(reply)[0]
    text = visible_text(page)
    assert "<script>alert(1)</script> & done" in text
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "question",
    [
        "<b>the</b>",
        "<script>alert(1)</script>",
        "**bold** <a href='x'>link</a> & more?",
        "what did <b>Nobody</b> say?",
    ],
)
def test_the_question_is_echoed_back_escaped(seed_corpus: Corpus, question: str) -> None:
    for page in telegram_pages(answer(seed_corpus, question)):
        visible_text(page)


def test_pages_hold_even_when_corpus_strings_are_huge_and_all_escapes(tmp_path: Path) -> None:
    title = "Tom & <Jerry> " * 200
    corpus = corpus_of(
        tmp_path, huge=f"{title}\n2017-01-01\n\nAnna Petrova said the Azaz corridor & <b>x</b>.\n"
    )
    for question in ("who said what about Azaz?", "who said what about Jerry?", "Tom"):
        for page in telegram_pages(answer(corpus, question), page_chars=300):
            assert utf16_length(page) <= 300
            visible_text(page)


# --- Pages -------------------------------------------------------------------------------


def _many_statements(folder: Path, count: int, words: int = 30) -> Corpus:
    filler = " ".join(["the corridor stays open"] * (words // 4))
    names = ("Anna Petrova", "John Smith", "Maria Lopez")
    lines = [
        f"{names[n % 3]} said the Azaz corridor number {n} was {filler}." for n in range(count)
    ]
    return corpus_of(folder, many="Azaz corridor\n2017-01-01\n\n" + "\n\n".join(lines) + "\n")


def test_long_answer_is_split_into_pages_at_statement_boundaries(tmp_path: Path) -> None:
    reply = answer(_many_statements(tmp_path, 40), "who said what about Azaz?", max_results=40)
    pages = telegram_pages(reply, page_chars=1000)
    assert len(pages) > 2
    texts = [visible_text(page) for page in pages]
    assert all(utf16_length(page) <= 1000 for page in pages)
    for result in reply.results:
        assert sum(result.excerpt in text for text in texts) == 1
    assert texts[0].endswith(f"page 1 of {len(pages)}")
    assert "(continued)" in texts[1]


def test_a_statement_longer_than_a_page_is_cut_at_a_word(tmp_path: Path) -> None:
    corpus = _many_statements(tmp_path, 1, words=2000)
    reply = answer(corpus, "who said what about Azaz?")
    pages = telegram_pages(reply, page_chars=800)
    assert all(utf16_length(page) <= 800 for page in pages)
    assert "…" in visible_text(pages[-1])


def test_page_size_is_capped_at_telegrams_limit(tmp_path: Path) -> None:
    reply = answer(_many_statements(tmp_path, 60), "who said what about Azaz?", max_results=60)
    assert all(utf16_length(page) <= TELEGRAM_LIMIT for page in telegram_pages(reply, 10_000))


def test_one_statement_renders_alone_within_the_limit(seed_corpus: Corpus) -> None:
    result = answer(seed_corpus, "who said what about Azaz?").results[0]
    html = telegram_statement(result, max_chars=400)
    text = visible_text(html)
    assert utf16_length(html) <= 400
    assert text.startswith("Maria Zakharova, Russia's Foreign Ministry spokeswoman\n")
    assert "Press TV" in text


# --- Replies when nobody is quoted --------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("", "Ask me who said what"),
        ("who said what about the?", "no topic or name"),
        ("who said what about Kilis?", "mentioned in the corpus, but nobody is quoted about it"),
        ("who said what about Crimea?", "not in the corpus"),
        ("who said what about Alepo?", "Did you mean: Aleppo?"),
        ("what did Obama say about Syria?", "Nobody called “Obama” is quoted"),
        ("what did Zaharov say?", "Did you mean: Maria Zakharova?"),
        ("who said what about Konashenkov?", "ask “what did Igor Konashenkov say?”"),
        ("Russia", "Others speak about Russia too"),
        (
            "what did Zakharova say about Crimea?",
            "Maria Zakharova is quoted in the corpus, but not",
        ),
    ],
)
def test_nobody_quoted_reply_says_why_and_what_to_try(
    seed_corpus: Corpus, question: str, words: str
) -> None:
    reply = answer(seed_corpus, question)
    assert words in plain(reply)
    (page,) = telegram_pages(reply)
    assert words in visible_text(page)


def test_mentioned_topic_names_the_article(seed_corpus: Corpus) -> None:
    text = plain(answer(seed_corpus, "who said what about Kilis?"))
    assert "Terrorists in Syria get arms via Turkey border: Russia" in text


# --- Listings ----------------------------------------------------------------------------


def test_speakers_listing_shows_names_roles_and_counts(seed_corpus: Corpus) -> None:
    pages = telegram_pages(speakers_listing(seed_corpus))
    text = "\n".join(visible_text(page) for page in pages)
    assert "Maria Zakharova, Russia's Foreign Ministry spokeswoman: " in text
    assert "<b>Igor Konashenkov</b>" in "".join(pages)
    assert "statements in 2 documents" in plain(speakers_listing(seed_corpus))


def test_sources_listing_shows_titles_dates_and_counts(seed_corpus: Corpus) -> None:
    text = plain(sources_listing(seed_corpus))
    first, second = text.splitlines()
    assert first.startswith("Russia says Turkey is sending more reinforcements")
    assert "21 Jan 2016" in first and "statements by" in first
    assert second.startswith("Terrorists in Syria get arms via Turkey border: Russia (Press TV)")


def test_listings_of_a_large_corpus_are_paged(tmp_path: Path) -> None:
    corpus = _many_statements(tmp_path, 30)
    for listing in (speakers_listing(corpus), sources_listing(corpus)):
        for page in telegram_pages(listing, page_chars=300):
            assert utf16_length(page) <= 300
            visible_text(page)


# --- Any input -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(question=st.text(max_size=300), page_chars=st.integers(min_value=0, max_value=6000))
def test_any_text_gets_a_valid_reply_within_the_limit(
    seed_corpus: Corpus, question: str, page_chars: int
) -> None:
    reply: Answer = answer(seed_corpus, question)
    assert plain(reply).strip()
    pages = telegram_pages(reply, page_chars)
    assert pages
    for page in pages:
        assert utf16_length(page) <= max(min(page_chars, TELEGRAM_LIMIT), 300)
        assert visible_text(page).strip()


@settings(max_examples=60, deadline=None)
@given(
    question=st.sampled_from(
        ["Azaz", "Zakharova", "Turkey", "who said what about Aleppo?"]
    ).flatmap(
        lambda q: st.tuples(st.just(q), st.text(max_size=40)).map(
            lambda p: p[1] + " " + p[0] + " " + p[1]
        )
    )
)
def test_real_questions_wrapped_in_noise_get_valid_pages(
    seed_corpus: Corpus, question: str
) -> None:
    for page in telegram_pages(answer(seed_corpus, question), page_chars=500):
        assert utf16_length(page) <= 500
        visible_text(page)
