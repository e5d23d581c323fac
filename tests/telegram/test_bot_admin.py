"""Admin commands end to end: /reload (also while answering, also failing), /stats, /add,
refusals for everyone else, and the command menus by scope."""

import asyncio
import logging
import shutil
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from bot.corpus import Corpus, build_corpus
from bot.telegram import texts

from .fake_bot_api import ALICE, BOB, FakeBotApi, FakeChat, FakeUser
from .harness import BODRUM_ARTICLE, RunningBot, running_bot, settings_for

ALICE_CHAT = FakeChat.private(ALICE)
BOB_CHAT = FakeChat.private(BOB)


@pytest.fixture
async def admin_bot(
    fake_telegram: FakeBotApi, own_corpus_dir: Path, corpus: Corpus
) -> AsyncIterator[RunningBot]:
    """The bot with a corpus folder of its own, which the test may change and reload."""
    settings = settings_for(fake_telegram, own_corpus_dir)
    async with running_bot(fake_telegram, settings, corpus) as running:
        yield running


async def ask(bot: RunningBot, chat: FakeChat, text: str) -> str:
    since = bot.mark()
    bot.say(chat, text, user=ALICE if chat is ALICE_CHAT else BOB)
    return (await bot.next_message(chat, since)).text or ""


async def reload_report(bot: RunningBot, since: int) -> str:
    call = await bot.next_call(
        "sendMessage",
        since,
        lambda call: (
            "Corpus reloaded" in call.params["text"] or "Reload failed" in call.params["text"]
        ),
    )
    return bot.message(ALICE_CHAT, call.result["message_id"]).text or ""


async def test_reload_reports_figures_and_skipped_files(
    admin_bot: RunningBot, own_corpus_dir: Path
) -> None:
    (own_corpus_dir / "bodrum.txt").write_text(BODRUM_ARTICLE, encoding="utf-8")
    (own_corpus_dir / "broken.txt").write_bytes(b"binary\x00junk")
    assert "Selin Aksoy" not in await ask(admin_bot, BOB_CHAT, "Bodrum")

    since = admin_bot.mark()
    admin_bot.say(ALICE_CHAT, "/reload")
    report = await reload_report(admin_bot, since)

    corpus = admin_bot.state.library.corpus
    assert f"{len(corpus.documents)} documents" in report
    for figure in ("sentences", "statements", "speakers", " s: "):
        assert figure in report
    assert "broken.txt: binary file" in report
    assert "Selin Aksoy" in await ask(admin_bot, BOB_CHAT, "Bodrum")


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder)


def empty_folder(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [(remove_folder, "no such file or folder"), (empty_folder, "would be empty")],
)
async def test_a_failed_reload_keeps_the_old_corpus_and_says_why(
    admin_bot: RunningBot, own_corpus_dir: Path, damage: Callable[[Path], None], reason: str
) -> None:
    old = admin_bot.state.library
    damage(own_corpus_dir)

    since = admin_bot.mark()
    admin_bot.say(ALICE_CHAT, "/reload")
    report = await reload_report(admin_bot, since)

    assert report.startswith("Reload failed") and reason in report
    assert "Still answering from the previous corpus" in report
    assert admin_bot.state.library is old
    assert "Maria Zakharova" in await ask(admin_bot, BOB_CHAT, "Azaz")


class GatedBuilder:
    """Builds the corpus only once the test lets it, so a reload can be caught midway."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, paths: Sequence[Path], max_file_bytes: int) -> Corpus:
        self.started.set()
        if not self.release.wait(timeout=10):
            raise TimeoutError("the test never let the reload finish")
        return build_corpus(paths, max_file_bytes)


async def test_questions_are_answered_from_the_old_corpus_while_a_reload_runs(
    fake_telegram: FakeBotApi, own_corpus_dir: Path, corpus: Corpus
) -> None:
    gate = GatedBuilder()
    settings = settings_for(fake_telegram, own_corpus_dir)
    async with running_bot(fake_telegram, settings, corpus, corpus_builder=gate) as bot:
        (own_corpus_dir / "bodrum.txt").write_text(BODRUM_ARTICLE, encoding="utf-8")
        since_reload = bot.mark()
        try:
            started = await ask(bot, ALICE_CHAT, "/reload")
            assert await asyncio.to_thread(gate.started.wait, 5)

            during_reload = [
                await ask(bot, BOB_CHAT, "Azaz"),
                await ask(bot, BOB_CHAT, "Bodrum"),
            ]
        finally:
            gate.release.set()
        report = await reload_report(bot, since_reload)
        after_reload = await ask(bot, BOB_CHAT, "Bodrum")

    assert started == texts.RELOAD_STARTED
    assert "Maria Zakharova" in during_reload[0]
    assert "Selin Aksoy" not in during_reload[1]
    assert "Corpus reloaded" in report
    assert "Selin Aksoy" in after_reload


async def test_stats_show_corpus_uptime_questions_and_last_reload(admin_bot: RunningBot) -> None:
    await ask(admin_bot, BOB_CHAT, "Azaz")
    admin_bot.clock.advance(3725)

    before_reload = await ask(admin_bot, ALICE_CHAT, "/stats")
    since = admin_bot.mark()
    admin_bot.say(ALICE_CHAT, "/reload")
    await reload_report(admin_bot, since)
    after_reload = await ask(admin_bot, ALICE_CHAT, "/stats")

    documents = len(admin_bot.state.library.corpus.documents)
    assert f"Corpus: {documents} documents" in before_reload
    assert "Uptime: 1 h 2 min 5 s" in before_reload
    assert "Questions answered: 1" in before_reload
    assert "Last reload: none since start" in before_reload
    assert "Last reload: 20" in after_reload and "took" in after_reload


# ---- /add ------------------------------------------------------------------------------------


def send_article(
    bot: RunningBot,
    file_name: str,
    content: bytes,
    caption: str = "/add",
    user: FakeUser = ALICE,
) -> None:
    chat = FakeChat.private(user)
    bot.fake.send_document(chat, user, file_name, content, caption=caption, mime_type="text/plain")


async def test_add_saves_the_article_and_reloads(
    admin_bot: RunningBot, own_corpus_dir: Path
) -> None:
    since = admin_bot.mark()
    send_article(admin_bot, "bodrum.txt", BODRUM_ARTICLE.encode())
    saved = await admin_bot.next_message(ALICE_CHAT, since)
    report = await reload_report(admin_bot, since)

    assert (saved.text or "").startswith("Saved bodrum.txt.")
    assert (own_corpus_dir / "bodrum.txt").read_text(encoding="utf-8") == BODRUM_ARTICLE
    assert "Corpus reloaded" in report
    build = admin_bot.state.library.corpus.report
    assert f"Files: {build.processed} processed, {build.from_cache} from the cache." in report
    assert build.files == build.processed + build.from_cache > 0
    assert "Time by phase: hash " in report and " s, lookups " in report
    assert "Selin Aksoy" in await ask(admin_bot, BOB_CHAT, "Bodrum")


async def test_add_keeps_the_file_inside_the_upload_folder(
    admin_bot: RunningBot, own_corpus_dir: Path
) -> None:
    since = admin_bot.mark()
    send_article(admin_bot, "../../ferry news.txt", BODRUM_ARTICLE.encode())
    saved = await admin_bot.next_message(ALICE_CHAT, since)
    await reload_report(admin_bot, since)

    assert (saved.text or "").startswith("Saved ferry_news.txt.")
    assert (own_corpus_dir / "ferry_news.txt").is_file()
    assert not (own_corpus_dir.parent.parent / "ferry news.txt").exists()


async def test_add_replace_overwrites_and_says_so(
    admin_bot: RunningBot, own_corpus_dir: Path
) -> None:
    since = admin_bot.mark()
    send_article(admin_bot, "harbour.txt", BODRUM_ARTICLE.encode(), caption="/add replace")
    saved = await admin_bot.next_message(ALICE_CHAT, since)
    await reload_report(admin_bot, since)

    assert (saved.text or "").startswith("Replaced harbour.txt.")
    assert (own_corpus_dir / "harbour.txt").read_text(encoding="utf-8") == BODRUM_ARTICLE


@pytest.mark.parametrize(
    ("file_name", "content", "reason"),
    [
        ("notes.pdf", b"%PDF-1.4", "only .txt and .md articles can be added, and this is a .pdf"),
        ("notes", b"text", "a file without an extension"),
        ("latin.txt", "Caf\xe9 society".encode("latin-1"), "not UTF-8"),
        ("huge.txt", b"word " * 1_000_001, "the limit is 5,000,000"),
        ("blank.md", b"  \n\n ", "the file is empty"),
        ("binary.txt", b"text\x00more", "binary"),
        ("README.md", b"# About", "describes a folder"),
        ("harbour.txt", b"A new harbour story", "harbour.txt is already in the corpus"),
    ],
)
async def test_add_refuses_unusable_documents_and_changes_nothing(
    admin_bot: RunningBot, own_corpus_dir: Path, file_name: str, content: bytes, reason: str
) -> None:
    before = {path.name: path.read_bytes() for path in own_corpus_dir.iterdir()}
    library = admin_bot.state.library

    since = admin_bot.mark()
    send_article(admin_bot, file_name, content)
    refusal = await admin_bot.next_message(ALICE_CHAT, since)

    assert (refusal.text or "").startswith("Not added: ") and reason in (refusal.text or "")
    assert {path.name: path.read_bytes() for path in own_corpus_dir.iterdir()} == before
    assert admin_bot.state.library is library


async def test_a_document_without_the_add_caption_is_not_added(
    admin_bot: RunningBot, own_corpus_dir: Path
) -> None:
    since = admin_bot.mark()
    send_article(admin_bot, "bodrum.txt", BODRUM_ARTICLE.encode(), caption="have a look")
    send_article(admin_bot, "bodrum.txt", BODRUM_ARTICLE.encode(), caption="/add@otherbot")
    admin_bot.say(ALICE_CHAT, "/help")
    await admin_bot.next_message(ALICE_CHAT, since)

    assert len(admin_bot.bot_calls("sendMessage", since)) == 1
    assert not (own_corpus_dir / "bodrum.txt").exists()


# ---- Everyone else ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["/reload", "/stats", "/add"])
async def test_non_admins_are_refused_politely_and_logged(
    admin_bot: RunningBot,
    own_corpus_dir: Path,
    caplog: pytest.LogCaptureFixture,
    command: str,
) -> None:
    library = admin_bot.state.library
    since = admin_bot.mark()
    if command == "/add":
        send_article(admin_bot, "bodrum.txt", BODRUM_ARTICLE.encode(), user=BOB)
    else:
        admin_bot.say(BOB_CHAT, command, user=BOB)

    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        refusal = await admin_bot.next_message(BOB_CHAT, since)

    assert refusal.text == texts.ADMINS_ONLY.format(command=command)
    assert f"refused {command} to non-admin user {BOB.id}" in caplog.text
    assert admin_bot.state.library is library
    assert not (own_corpus_dir / "bodrum.txt").exists()
    assert admin_bot.bot_calls("sendMessage", since)[-1].params["chat_id"] == BOB.id


async def test_command_menus_show_admin_commands_to_admins_only(bot: RunningBot) -> None:
    everyone = {command["command"] for command in bot.fake.commands()}
    private = {c["command"] for c in bot.fake.commands({"type": "all_private_chats"})}
    groups = {c["command"] for c in bot.fake.commands({"type": "all_group_chats"})}
    admin = {c["command"] for c in bot.fake.commands({"type": "chat", "chat_id": ALICE.id})}

    admin_only = {"reload", "stats", "add"}
    assert {"ask", "who", "said", "speakers", "sources", "help", "privacy"} <= private
    assert everyone == private
    assert {"ask", "who", "said"} <= groups
    assert not admin_only & (everyone | private | groups)
    assert admin == private | admin_only
