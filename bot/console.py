"""The console chat: questions typed in a terminal (or piped in), answers printed."""

from __future__ import annotations

from typing import TextIO

from bot.answers import QuestionError, answer
from bot.corpus import Corpus
from bot.render import plain

GREETING = (
    "Console session: no TELEGRAM_BOT_TOKEN is configured, so the bot answers here.\n"
    "To run it on Telegram, put TELEGRAM_BOT_TOKEN=... in .env (see .env.example).\n"
    "Ask e.g. 'who said what about Azaz?'. Ctrl-D quits.\n"
)


def chat(corpus: Corpus, stdin: TextIO, stdout: TextIO) -> int:
    """Answer each line until end of input; prompt only when a person is typing."""
    interactive = stdin.isatty()
    stdout.write(GREETING)
    stdout.write(
        f"{len(corpus.documents)} documents, {len(corpus.statements)} statements loaded.\n"
    )
    while True:
        if interactive:
            stdout.write("\n> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            if interactive:
                stdout.write("\n")
            return 0
        question = line.strip()
        if not question:
            continue
        try:
            stdout.write(plain(answer(corpus, question)) + "\n")
        except QuestionError as error:
            stdout.write(f"{error}\n")
        stdout.flush()
