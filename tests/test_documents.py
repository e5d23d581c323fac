"""The loader: bad files skipped with a reason, page furniture removed, captions kept apart,
metadata inferred (or taken from front matter), and a map back to the published text."""

import codecs
import html
import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.corpus import Corpus
from bot.documents import CorpusError, Document, LoadResult, load_documents, parse_document
from bot.sentences import split_documents, train_splitter

LIMIT = 10_000
GOOD_ARTICLE = "Talks resume\n\nThe minister said the talks would resume on Monday.\n"


def parse(text: str) -> Document:
    return parse_document("article.txt", Path("article.txt"), text)


def load(*paths: Path, max_file_bytes: int = LIMIT) -> LoadResult:
    return load_documents(paths, max_file_bytes)


def body(document: Document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


# --- Bad files ----------------------------------------------------------------------------


def _random_high_bytes() -> bytes:
    generator = random.Random(1)
    return bytes(generator.randrange(1, 256) for _ in range(3000))


BAD_FILES: dict[str, tuple[Callable[[Path], object], str]] = {
    "empty": (lambda path: path.write_bytes(b""), "empty"),
    "only_whitespace": (lambda path: path.write_bytes(b" \n\t\r\n"), "empty"),
    "only_byte_order_mark_and_odd_spaces": (
        lambda path: path.write_bytes(codecs.BOM_UTF8 + "\u00a0\u2009\n".encode()),
        "empty",
    ),
    "binary_with_nul_bytes": (
        lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
        "binary",
    ),
    "undecodable_bytes": (lambda path: path.write_bytes(_random_high_bytes()), "encoding"),
    "over_the_size_limit": (
        lambda path: path.write_text("Headline\n\n" + "He said so. " * LIMIT),
        "too large",
    ),
    "broken_symlink": (lambda path: path.symlink_to(path.with_name("missing.txt")), "unreadable"),
    "named_pipe": (os.mkfifo, "not a regular file"),
    "headline_without_article_text": (
        lambda path: path.write_text("Only a headline\n\nNews / Russia / News\n"),
        "no article text",
    ),
    "front_matter_only": (
        lambda path: path.write_text("---\ntitle: Nothing below\n---\n"),
        "no article text",
    ),
}


@pytest.mark.parametrize(("make_bad_file", "reason"), BAD_FILES.values(), ids=list(BAD_FILES))
def test_bad_file_is_skipped_with_one_reason_while_the_rest_loads(
    tmp_path: Path, make_bad_file: Callable[[Path], object], reason: str
) -> None:
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    bad = tmp_path / "bad.txt"
    make_bad_file(bad)

    loaded = load(tmp_path)

    assert [document.doc_id for document in loaded.documents] == ["good.txt"]
    assert [skipped.path for skipped in loaded.skipped] == [bad]
    assert reason in loaded.skipped[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_file_without_read_permission_is_skipped_as_unreadable(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_ARTICLE)
    locked.chmod(0)
    try:
        loaded = load(tmp_path)
    finally:
        locked.chmod(0o644)
    assert [document.doc_id for document in loaded.documents] == ["good.txt"]
    assert [(s.path, "unreadable" in s.reason) for s in loaded.skipped] == [(locked, True)]


def test_file_at_the_size_limit_loads(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(GOOD_ARTICLE)
    assert load(tmp_path, max_file_bytes=article.stat().st_size).skipped == ()


def test_folder_named_like_a_file_is_searched_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").mkdir()
    (tmp_path / "notes.txt" / "inner.md").write_text(GOOD_ARTICLE)
    loaded = load(tmp_path)
    assert [document.doc_id for document in loaded.documents] == ["notes.txt/inner.md"]
    assert loaded.skipped == ()


def test_only_txt_and_md_files_load_and_readme_hidden_and_other_files_are_ignored(
    tmp_path: Path,
) -> None:
    for name in ("a.txt", "b.md", "sub/c.TXT", "README.md", ".hidden.txt", ".git/d.txt", "e.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(GOOD_ARTICLE)
    loaded = load(tmp_path)
    assert [document.doc_id for document in loaded.documents] == ["a.txt", "b.md", "sub/c.TXT"]


def test_doc_id_is_the_path_relative_to_the_folder_or_the_name_of_a_named_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "folder" / "sub").mkdir(parents=True)
    (tmp_path / "folder" / "sub" / "a.txt").write_text(GOOD_ARTICLE)
    (tmp_path / "b.txt").write_text(GOOD_ARTICLE)
    loaded = load(tmp_path / "folder", tmp_path / "b.txt")
    assert [document.doc_id for document in loaded.documents] == ["sub/a.txt", "b.txt"]


def test_a_file_named_twice_loads_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD_ARTICLE)
    loaded = load(tmp_path, tmp_path / "a.txt", tmp_path)
    assert [document.doc_id for document in loaded.documents] == ["a.txt"]


def test_missing_corpus_path_is_a_corpus_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no-such-folder"):
        load(tmp_path / "no-such-folder")


# --- Encodings ----------------------------------------------------------------------------

TEXTS_IN_OTHER_ENCODINGS = {
    "cp1252_with_curly_quotes": (
        "cp1252",
        "",
        "The café owner said “no” to the naïve plan — twice.",
    ),
    "latin1": ("latin-1", "", "The café owner in São Paulo said the plan was naïve."),
    "declared_cp1254_turkish": (
        "cp1254",
        "---\nencoding: windows-1254\n---\n",
        "Dışişleri Bakanı Mevlüt Çavuşoğlu, görüşmelerin sürdüğünü söyledi.",
    ),
    "declared_koi8_r_russian": (
        "koi8-r",
        "---\ncharset: koi8-r\n---\n",
        "Москва заявила, что переговоры продолжатся.",
    ),
    "utf16_with_byte_order_mark": ("utf-16", "", "Zakharova said the talks were “useful”."),
    "utf8_with_byte_order_mark": ("utf-8-sig", "", "Zakharova said the talks were “useful”."),
}


@pytest.mark.parametrize(
    ("encoding", "header", "sentence"),
    TEXTS_IN_OTHER_ENCODINGS.values(),
    ids=list(TEXTS_IN_OTHER_ENCODINGS),
)
def test_text_not_in_utf8_is_decoded_with_its_declared_or_detected_encoding(
    tmp_path: Path, encoding: str, header: str, sentence: str
) -> None:
    (tmp_path / "article.txt").write_bytes(f"{header}Headline\n\n{sentence}\n".encode(encoding))
    loaded = load(tmp_path)
    assert loaded.skipped == ()
    (document,) = loaded.documents
    assert document.title == "Headline"
    assert body(document) == [sentence]


# --- Cleaning -----------------------------------------------------------------------------


def test_seed_breadcrumb_photo_credit_and_site_boilerplate_are_removed(
    seed_documents: dict[str, Document],
) -> None:
    document = seed_documents["000_c95f25a13bd07841.txt"]
    kept = [*body(document), *document.captions, document.title or ""]
    for furniture in ("News / Russia", "©AP", "alternate addresses", "Roku"):
        assert not any(furniture in " ".join(text.split()) for text in kept), furniture
    assert document.title == "Terrorists in Syria get arms via Turkey border: Russia"
    assert body(document)[-1].endswith("against militants.")


def test_seed_caption_printed_twice_is_kept_once_without_its_credit(
    seed_documents: dict[str, Document],
) -> None:
    document = seed_documents["004_5693fbc6e7f5f2c4.txt"]
    twitter = [c for c in document.captions if c.startswith("This image posted on the Twitter")]
    assert twitter == [
        "This image posted on the Twitter page of al-Qaeda-linked al-Nusra Front on April 25,"
        " 2015, shows Takfiri militants in the town of Jisr al-Shughour, Idlib province, Syria."
    ]


@pytest.mark.parametrize(
    ("doc_id", "caption"),
    [
        ("000_c95f25a13bd07841.txt", "Russia’s Defense Ministry spokesman Major General Igor"),
        ("000_c95f25a13bd07841.txt", "Turkish soldiers take position as artillery fire"),
        ("004_5693fbc6e7f5f2c4.txt", "Russian Foreign Ministry spokeswoman Maria Zakharova"),
        ("004_5693fbc6e7f5f2c4.txt", "This image posted on the Twitter page"),
    ],
)
def test_seed_captions_are_kept_apart_never_as_body_or_sentences(
    seed_corpus: Corpus, seed_documents: dict[str, Document], doc_id: str, caption: str
) -> None:
    document = seed_documents[doc_id]
    (full_caption,) = [text for text in document.captions if text.startswith(caption)]
    assert full_caption not in body(document)
    assert full_caption not in [sentence.text for sentence in seed_corpus.sentences]


LINES_THAT_ARE_NOT_ARTICLE_TEXT = {
    "breadcrumb_slashes": "News / Russia / News",
    "breadcrumb_arrows": "Home > World > Middle East",
    "breadcrumb_guillemets": "News » Middle East » Syria",
    "breadcrumb_bars": "Home | World | Syria",
    "photo_credit_copyright": "©AP",
    "photo_credit_copyright_spaced": "© Reuters",
    "photo_credit_parenthesised": "(AFP Photo)",
    "photo_credit_labelled": "Photo: Reuters",
    "alternate_addresses": "Sputnik’s website can also be accessed at the following alternate"
    " addresses:",
    "all_rights_reserved": "© 2017 Jordan Times. All rights reserved.",
    "follow_us": "Follow us on Twitter",
    "share": "Share this article",
    "short_url": "Get short URL",
}


@pytest.mark.parametrize(
    "line", LINES_THAT_ARE_NOT_ARTICLE_TEXT.values(), ids=list(LINES_THAT_ARE_NOT_ARTICLE_TEXT)
)
def test_page_furniture_line_is_removed(line: str) -> None:
    document = parse(
        f"Talks resume\n\n{line}\n\nThe minister said the talks would resume.\n\n{line}\n"
    )
    assert body(document) == ["The minister said the talks would resume."]
    assert document.captions == ()


def test_app_store_lines_after_site_boilerplate_are_removed() -> None:
    document = parse(
        "Talks resume\n\nThe minister said the talks would resume.\n\n"
        "Press TV’s website can also be accessed at the following alternate addresses:\n\n"
        "Press TV News Roku\n\nGoogle Play\n\nApple TV\n"
    )
    assert body(document) == ["The minister said the talks would resume."]
    assert document.captions == ()


def test_long_paragraph_that_merely_mentions_a_boilerplate_phrase_is_kept() -> None:
    paragraph = (
        "The minister said all rights reserved by the treaty would be defended, and that the "
        "talks would resume on Monday in Geneva with every party present, including the "
        "opposition groups that walked out last month."
    )
    assert body(parse(f"Talks resume\n\n{paragraph}\n")) == [paragraph]


@pytest.mark.parametrize(
    ("caption_line", "caption"),
    [
        ("Syrian soldiers near Aleppo on Monday. ©AP", "Syrian soldiers near Aleppo on Monday."),
        (
            "Syrian soldiers near Aleppo on Monday. (AP Photo/Hussein Malla)",
            "Syrian soldiers near Aleppo on Monday.",
        ),
        ("Sergei Lavrov in Moscow. Photo: Reuters", "Sergei Lavrov in Moscow."),
        ("Sergei Lavrov in Moscow. PHOTO: REUTERS", "Sergei Lavrov in Moscow."),
        ("Mevlüt Çavuşoğlu in Ankara. IMAGE: AFP", "Mevlüt Çavuşoğlu in Ankara."),
        ("Sergei Lavrov in Moscow. Picture: TASS", "Sergei Lavrov in Moscow."),
        ("Russian Foreign Minister Sergei Lavrov", "Russian Foreign Minister Sergei Lavrov"),
    ],
)
def test_caption_is_kept_apart_without_its_photo_credit(caption_line: str, caption: str) -> None:
    document = parse(f"Talks resume\n\n{caption_line}\n\nLavrov said the talks would resume.\n")
    assert document.captions == (caption,)
    assert body(document) == ["Lavrov said the talks would resume."]


def test_sentence_ending_in_a_word_like_image_is_body_not_a_credited_caption() -> None:
    sentence = "The ministry showed reporters the image: a map of the area."
    document = parse(f"Talks resume\n\n{sentence}\n")
    assert body(document) == [sentence]
    assert document.captions == ()


def test_caption_printed_twice_with_different_spacing_is_kept_once() -> None:
    document = parse(
        "Talks resume\n\nSergei Lavrov in Moscow ©AP\nSergei  Lavrov\u00a0in Moscow ©AP\n\n"
        "Lavrov said the talks would resume.\n"
    )
    assert document.captions == ("Sergei Lavrov in Moscow",)


def test_curly_quotes_and_apostrophes_are_kept_as_published(
    seed_documents: dict[str, Document],
) -> None:
    document = seed_documents["004_5693fbc6e7f5f2c4.txt"]
    assert any("“Obviously, they’re trying" in text for text in body(document))


def test_odd_spaces_and_entities_are_normalised_in_the_cleaned_text() -> None:
    document = parse("Talks resume\n\nThe\u00a0caf&eacute;&nbsp;owner\u2009said &amp; left.\n")
    assert body(document) == ["The café owner said & left."]


def test_hard_wrapped_lines_of_one_paragraph_are_joined() -> None:
    document = parse(
        "Talks resume\n\n"
        "The minister said on Monday that the talks with the opposition would\n"
        "resume in Geneva next week, and that the government delegation would\n"
        "be led by the deputy foreign minister, who had met the envoy on\n"
        "sunday.\n"
    )
    assert body(document) == [
        "The minister said on Monday that the talks with the opposition would resume in Geneva "
        "next week, and that the government delegation would be led by the deputy foreign "
        "minister, who had met the envoy on sunday."
    ]
    assert document.captions == ()


def test_markdown_that_frames_a_line_is_not_text() -> None:
    document = parse(
        "# Russia says Turkey arms militants\n\n*Thu Jan 21, 2016*\n\n## Background\n\n"
        '> "We will not wait," Zakharova said.\n\n- Lavrov said the talks would go on.\n\n'
        "**Peskov said nothing.**\n"
    )
    assert (document.title, document.date) == ("Russia says Turkey arms militants", "2016-01-21")
    assert document.captions == ("Background",)
    assert body(document) == [
        '"We will not wait," Zakharova said.',
        "Lavrov said the talks would go on.",
        "Peskov said nothing.",
    ]


@pytest.mark.parametrize(
    "paragraph",
    ["Zakharova said the **talks** may be *delayed*.", "*Talks* may be delayed, Lavrov *said*."],
)
def test_markdown_inside_a_line_is_kept_as_published(paragraph: str) -> None:
    assert body(parse(f"Talks\n\n{paragraph}\n")) == [paragraph]


# --- Front matter and metadata ------------------------------------------------------------


def test_front_matter_overrides_inferred_title_date_source_and_url() -> None:
    document = parse(
        "---\n"
        'title: "Kremlin: Russia not accused | Reuters"\n'
        "date: 2017-11-01\n"
        "source: Reuters Moscow\n"
        "url: https://example.org/kremlin\n"
        "---\n"
        "Kremlin says Russia not accused | Jordan Times\n"
        "October 31, 2017\n\n"
        "MOSCOW (AFP) - The Kremlin said on Tuesday it had not been accused.\n"
    )
    assert document.title == "Kremlin: Russia not accused | Reuters"
    assert document.date == "2017-11-01"
    assert document.outlet == "Reuters Moscow"
    assert document.url == "https://example.org/kremlin"
    assert body(document) == ["The Kremlin said on Tuesday it had not been accused."]
    assert document.captions == ()


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("Russia says 'no'", "Russia says 'no'"),
        ("'Why now?' asks Lavrov", "'Why now?' asks Lavrov"),
        ('"Kremlin: Russia not accused"', "Kremlin: Russia not accused"),
        ("'Kremlin: Russia not accused'", "Kremlin: Russia not accused"),
    ],
)
def test_front_matter_value_loses_only_the_quotes_around_it(written: str, title: str) -> None:
    document = parse(f"---\ntitle: {written}\n---\nHeadline\n\nLavrov said so.\n")
    assert document.title == title


def test_dateline_under_front_matter_date_is_neither_title_nor_caption() -> None:
    document = parse(
        "---\ndate: 2016-01-22\n---\nThu Jan 21, 2016 3:40PM\nRussia says Turkey arms militants\n\n"
        "Zakharova said the talks may be delayed.\n"
    )
    assert (document.title, document.date) == ("Russia says Turkey arms militants", "2016-01-22")
    assert document.captions == ()


def test_without_front_matter_metadata_is_inferred() -> None:
    document = parse(
        "Kremlin says Russia not accused\nOctober 31, 2017\n\n"
        "MOSCOW (Reuters) - The Kremlin said on Tuesday it had not been accused.\n"
    )
    assert (document.title, document.date, document.outlet, document.url) == (
        "Kremlin says Russia not accused",
        "2017-10-31",
        "Reuters",
        None,
    )


@pytest.mark.parametrize(
    ("dateline", "iso"),
    [
        ("Thu Jan 21, 2016 3:40PM", "2016-01-21"),
        ("2016-01-21", "2016-01-21"),
        ("2016-01-21T15:40:00Z", "2016-01-21"),
        ("2016-01-21 15:40", "2016-01-21"),
        ("October 31, 2017", "2017-10-31"),
        ("4/4/2017", "2017-04-04"),
        ("4/13/2017", "2017-04-13"),
        ("Wed 05 Apr 2017", "2017-04-05"),
        ("07.10.2017", "2017-10-07"),
        ("Sunday, September 18, 2016 at 10:05 GMT", "2016-09-18"),
        ("Published: October 31, 2017", "2017-10-31"),
        ("Last updated on Nov 9, 2017", "2017-11-09"),
    ],
)
def test_dateline_gives_the_date_and_is_not_text(dateline: str, iso: str) -> None:
    document = parse(f"Talks resume\n{dateline}\n\nThe minister said the talks would resume.\n")
    assert document.date == iso
    assert document.title == "Talks resume"
    assert document.captions == ()
    assert body(document) == ["The minister said the talks would resume."]


@pytest.mark.parametrize(
    ("first_paragraph", "iso", "rest"),
    [
        ("Sunday 18 Sep 2016 More than 60 soldiers were killed.", "2016-09-18", "More than 60"),
        ("Thu Oct 6 2016 US warplanes killed 60 civilians.", "2016-10-06", "US warplanes"),
        ("Thu Jan 21, 2016 3:40PM Zakharova said so.", "2016-01-21", "Zakharova said"),
        ("Published: Oct 31, 2017 The Kremlin said so.", "2017-10-31", "The Kremlin"),
        ("07.10.2017(updated 1500 07.10.2017) Russia said so.", "2017-10-07", "Russia said"),
    ],
)
def test_dateline_at_the_start_of_the_first_paragraph_gives_the_date(
    first_paragraph: str, iso: str, rest: str
) -> None:
    document = parse(f"Talks resume\n\n{first_paragraph}\n")
    assert document.date == iso
    assert body(document)[0].startswith(rest)


@pytest.mark.parametrize(
    "text",
    [
        "Talks resume\n\nSoldiers near Kilis on February 16, 2016. ©AP\n\nHe said so.\n",
        "Talks resume\n\nSoldiers near Kilis on February 16, 2016\n\nHe said so.\n",
        "Talks resume\n\nThe talks began on October 31, 2017, officials said.\n",
    ],
    ids=["credited_caption", "caption", "body"],
)
def test_date_is_never_taken_from_a_caption_or_the_body(text: str) -> None:
    assert parse(text).date is None


def test_seed_dates_come_from_the_dateline_never_from_captions(
    seed_documents: dict[str, Document],
) -> None:
    assert seed_documents["004_5693fbc6e7f5f2c4.txt"].date == "2016-01-21"
    assert seed_documents["000_c95f25a13bd07841.txt"].date is None  # its caption has 2016-02-16


@pytest.mark.parametrize(
    ("text", "outlet", "title", "paragraph"),
    [
        (
            "Kremlin speaks\n\nMOSCOW (Reuters) - The Kremlin said it was fine.\n",
            "Reuters",
            "Kremlin speaks",
            "The Kremlin said it was fine.",
        ),
        (
            "Israeli attack kills three | Jordan Times\n\nAn official said three died.\n",
            "Jordan Times",
            "Israeli attack kills three",
            "An official said three died.",
        ),
        (
            "WHO speaks\n\nThe WHO said the cases were consistent with nerve agents. - REUTERS\n",
            "Reuters",
            "WHO speaks",
            "The WHO said the cases were consistent with nerve agents.",
        ),
        (
            "Turkey arms militants\n\nRussia said Turkey arms militants.\n\n"
            "Press TV’s website can also be accessed at the following alternate addresses:\n",
            "Press TV",
            "Turkey arms militants",
            "Russia said Turkey arms militants.",
        ),
        (
            "Talks resume\n\nThe minister said the talks would resume.\n",
            None,
            "Talks resume",
            "The minister said the talks would resume.",
        ),
    ],
    ids=["dateline", "title_suffix", "signoff", "site_boilerplate", "none_named"],
)
def test_outlet_is_inferred_where_the_text_names_it(
    text: str, outlet: str | None, title: str, paragraph: str
) -> None:
    document = parse(text)
    assert (document.outlet, document.title, body(document)) == (outlet, title, [paragraph])


def test_seed_outlet_comes_from_its_site_boilerplate(seed_documents: dict[str, Document]) -> None:
    assert seed_documents["000_c95f25a13bd07841.txt"].outlet == "Press TV"


def test_without_a_headline_line_the_first_words_stand_for_the_title(
    seed_documents: dict[str, Document],
) -> None:
    title = seed_documents["004_5693fbc6e7f5f2c4.txt"].title
    assert title is not None
    assert title.startswith("Russia says Turkey is sending more reinforcements")


# --- The map back to the published text ---------------------------------------------------


def published_words(document: Document, start: int, end: int) -> list[str]:
    return html.unescape(document.excerpt(start, end)).split()


def test_every_seed_sentence_maps_to_the_same_words_in_the_published_text(
    seed_corpus: Corpus,
) -> None:
    for sentence in seed_corpus.sentences:
        document = seed_corpus.document_of(sentence)
        assert published_words(document, sentence.start, sentence.end) == sentence.text.split()


MESSY_ARTICLES = {
    "entities": "Advice row\n\nMr Cook said he had only received a pr&#233;cis of Lord "
    "Goldsmith&#8217;s advice. &ldquo;It is wrong,&rdquo; he said &amp; left.\n",
    "non_breaking_spaces": "Advice row\n\n\u00a0\u00a0Mr\u00a0Cook said\u2009it was wrong.\u00a0"
    "He&nbsp;left.\u202f\n",
    "windows_line_ends": "Advice row\r\n\r\n  Mr Cook said it was wrong.\r\n\r\nHe left.\r\n",
    "wrapped_lines": "Advice row\n\nMr Cook said the advice\nwas wrong. He said the\n"
    "pr&eacute;cis was\nwrong too.\n",
    "dateline_and_signoff": "Advice row\n\nLONDON (Reuters) - Mr Cook said it was wrong. He "
    "left. - REUTERS\n",
    "markdown": "# Advice row\n\n> Mr Cook said it was *wrong*.\n\n- He &amp; she left.\n\n"
    "_Mr Cook said so._\n",
}


@pytest.mark.parametrize("text", MESSY_ARTICLES.values(), ids=list(MESSY_ARTICLES))
def test_every_sentence_maps_to_the_same_words_in_a_messy_published_text(text: str) -> None:
    document = parse(text)
    sentences = split_documents([document], train_splitter([document]))
    assert sentences
    for sentence in sentences:
        assert published_words(document, sentence.start, sentence.end) == sentence.text.split()
        assert not document.source_text[sentence.start].isspace()
        assert not document.source_text[sentence.end - 1].isspace()


def test_entity_in_a_sentence_maps_to_the_whole_entity() -> None:
    document = parse(MESSY_ARTICLES["entities"])
    (sentence, *_) = split_documents([document], train_splitter([document]))
    assert "précis" in sentence.text
    assert "pr&#233;cis" in document.excerpt(sentence.start, sentence.end)


_WORDS = st.sampled_from(
    ["said", "Zakharova", "pr&#233;cis", "&amp;", "caf&eacute;", "“quoted”", "Russia’s", "U.S."]
)
_SPACES = st.sampled_from([" ", "\u00a0", "&nbsp;", "\u2009", "  ", "\n"])


@st.composite
def _paragraphs(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=12))
    return "".join(word + draw(_SPACES) for word in words).strip() + "."


@settings(max_examples=60, deadline=None)
@given(st.lists(_paragraphs(), min_size=1, max_size=4), st.sampled_from(["", "  ", "\u00a0"]))
def test_any_paragraph_maps_back_to_the_same_published_words(
    paragraphs: list[str], indent: str
) -> None:
    document = parse("Headline\n\n" + "\n\n".join(indent + p for p in paragraphs) + "\n")
    for paragraph in document.paragraphs:
        start, end = paragraph.source_span(0, len(paragraph.text))
        assert published_words(document, start, end) == paragraph.text.split()


def test_line_after_boilerplate_that_only_contains_an_app_store_word_inside_a_word_is_kept() -> (
    None
):
    document = parse(
        "Talks resume\n\nThe minister said the talks would resume.\n\n"
        "Press TV’s website can also be accessed at the following alternate addresses:\n\n"
        "Other scenarios were discussed.\n"
    )
    assert "Other scenarios were discussed." in body(document)


def test_jsonl_archive_loads_one_article_per_line_and_skips_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "title": "Talks resume",
                "date": "2016-01-21",
                "source": "Reuters",
                "url": "https://example.org/a",
                "text": "The minister said the talks would resume.",
            }
        ),
        "",
        "{not json",
        json.dumps({"title": "No text here"}),
        json.dumps({"text": "Moscow said the strikes would go on."}),
    ]
    archive = tmp_path / "archive.jsonl"
    archive.write_bytes(("\n".join(lines) + "\n").encode() + b'{"text": "caf\xe9"}\n')
    loaded = load_documents([tmp_path], 5_000_000)
    first, second = loaded.documents
    assert (first.doc_id, first.title, first.date, first.outlet, first.url) == (
        "archive.jsonl#1",
        "Talks resume",
        "2016-01-21",
        "Reuters",
        "https://example.org/a",
    )
    assert body(first) == ["The minister said the talks would resume."]
    assert second.doc_id == "archive.jsonl#5"
    assert [skipped.reason.split(":")[0] for skipped in loaded.skipped] == [
        "line 3",
        "line 4",
        "line 6",
    ]
    assert "not UTF-8" in loaded.skipped[-1].reason


def test_jsonl_article_over_the_size_limit_is_skipped_alone(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    archive.write_text(
        json.dumps({"text": "Short article said so."})
        + "\n"
        + json.dumps({"text": "Long " * 100})
        + "\n",
        encoding="utf-8",
    )
    loaded = load_documents([archive], 200)
    assert [d.doc_id for d in loaded.documents] == ["archive.jsonl#1"]
    assert loaded.skipped[0].reason.startswith("line 2: too large")
