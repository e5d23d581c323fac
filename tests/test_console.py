"""The console chat: questions piped or typed in, answers printed, end of input ends it."""

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.console import chat
from bot.corpus import Corpus


class Terminal(io.StringIO):
    """Stdin as a person typing at a terminal."""

    def isatty(self) -> bool:
        return True


def chat_output(corpus: Corpus, stdin: io.StringIO) -> tuple[int, str]:
    stdout = io.StringIO()
    status = chat(corpus, stdin, stdout)
    return status, stdout.getvalue()


def test_chat_says_it_is_a_console_session_and_how_to_configure_a_token(
    seed_corpus: Corpus,
) -> None:
    _, output = chat_output(seed_corpus, io.StringIO(""))
    first_lines = output.splitlines()[:3]
    assert "Console session" in first_lines[0]
    assert any("TELEGRAM_BOT_TOKEN" in line and ".env" in line for line in first_lines)


def test_chat_answers_each_piped_line_and_exits_at_end_of_input(seed_corpus: Corpus) -> None:
    status, output = chat_output(
        seed_corpus,
        io.StringIO("who said what about Azaz?\n\n   \nwho said the talks may be delayed?"),
    )
    assert status == 0
    assert "Maria Zakharova" in output
    assert "the talks may be delayed" in output
    assert "> " not in output


def test_chat_replies_to_a_question_nobody_is_quoted_on(seed_corpus: Corpus) -> None:
    _, greeting = chat_output(seed_corpus, io.StringIO(""))
    status, output = chat_output(seed_corpus, io.StringIO("who said what about penguins?\n"))
    assert status == 0
    assert output.startswith(greeting)
    assert output[len(greeting) :].strip()


def test_chat_prompts_a_person_at_a_terminal_and_ends_on_ctrl_d(seed_corpus: Corpus) -> None:
    status, output = chat_output(seed_corpus, Terminal("who said what about Azaz?\n"))
    assert status == 0
    assert output.count("\n> ") == 2  # one prompt per question, one before Ctrl-D
    assert output.endswith("\n")


def test_run_without_a_token_opens_the_console_chat_on_piped_stdin(seeds: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--corpus", str(seeds)],
        input="who said what about Azaz?\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**environment, "CORPUS_PATHS": "", "MAX_FILE_BYTES": ""},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Console session")
    assert "Maria Zakharova" in result.stdout
    assert "Azaz" in result.stdout
