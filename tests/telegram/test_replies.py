"""The bot's own pages (reload reports): within the limit, split between blocks, nothing lost."""

from html import escape

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.replies import paginate

from .fake_bot_api import parse_html


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(
    blocks=st.lists(st.text(min_size=1, max_size=1500).filter(str.strip), max_size=12),
    page_chars=st.integers(min_value=300, max_value=5000),
)
def test_pages_stay_within_the_limit_and_keep_every_word(
    blocks: list[str], page_chars: int
) -> None:
    escaped = [escape(block, quote=False) for block in blocks]

    pages = paginate(escaped, page_chars)

    assert all(0 < utf16_length(page) <= min(page_chars, 4096) for page in pages)
    shown = "".join(parse_html(page)[0] for page in pages)  # every page is valid HTML
    assert "".join(shown.split()) == "".join("".join(blocks).split())


def test_pages_break_between_blocks() -> None:
    blocks = [f"<b>block {n}</b> " + "word " * 50 for n in range(6)]

    pages = paginate(blocks, 600)

    assert len(pages) > 1
    assert all(page.startswith("<b>block ") for page in pages)
    assert "\n".join(pages) == "\n".join(blocks)
