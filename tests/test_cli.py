"""The command line contract: `ask`, `quotes`, `sources`, their JSON lines and their errors."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.corpus import Corpus

SETTING_NAMES = (
    "TELEGRAM_BOT_TOKEN",
    "ADMIN_USER_IDS",
    "CORPUS_PATHS",
    "UPLOAD_DIR",
    "MAX_FILE_BYTES",
    "MAX_RESULTS",
    "PAGE_CHARS",
    "CHAT_COOLDOWN_SECONDS",
    "LOG_LEVEL",
)
QUOTE_KEYS = {"doc", "speaker", "role", "kind", "quote", "sentence"}
RESULT_KEYS = {"speaker", "role", "kind", "quote", "sentence", "doc", "title", "date", "score"}
KINDS = {"direct", "indirect", "mixed"}
SEED_IDS = {"000_c95f25a13bd07841.txt", "004_5693fbc6e7f5f2c4.txt"}


@pytest.fixture(autouse=True)
def no_configured_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands run on the corpus they are given, whatever this machine configures."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)


def run(
    *args: str | Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in a fresh process, as the scorer and a user run it."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    return subprocess.run(
        [sys.executable, "-m", "bot", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**environment, **(env or {})},
        timeout=60,
        check=False,
    )


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


# --- quotes --------------------------------------------------------------------------------


def test_quotes_json_prints_one_object_per_statement_with_the_issue_keys(
    seeds: Path, seed_corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quotes", "--json", "--corpus", str(seeds)]) == 0
    records = json_lines(capsys.readouterr().out)
    assert len(records) == len(seed_corpus.statements) > 0
    for record in records:
        assert record.keys() >= QUOTE_KEYS
        assert record["doc"] in SEED_IDS
        assert record["kind"] in KINDS
        assert isinstance(record["speaker"], str)
        assert isinstance(record["quote"], str)
        assert isinstance(record["sentence"], str)
        assert record["quote"].strip(" ,.") in record["sentence"]


def test_quotes_json_has_konashenkov_quoted_directly_without_quotation_marks(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["quotes", "--json", "--corpus", str(seeds)])
    direct = [r for r in json_lines(capsys.readouterr().out) if r["kind"] == "direct"]
    konashenkov = [r for r in direct if r["speaker"] == "Igor Konashenkov"]
    assert any(str(r["quote"]).startswith("Simultaneously, weapons") for r in konashenkov)
    assert not any(str(r["quote"]).startswith(('"', "“")) for r in direct)


# --- ask -----------------------------------------------------------------------------------


def test_ask_json_prints_one_object_with_the_issue_keys(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--json", "--corpus", str(seeds), "who said what about Azaz?"]) == 0
    (record,) = json_lines(capsys.readouterr().out)
    assert {"question", "message", "results"} <= record.keys()
    assert record["question"] == "who said what about Azaz?"
    assert isinstance(record["message"], str)
    results = record["results"]
    assert isinstance(results, list)
    assert results
    for result in results:
        assert result.keys() >= RESULT_KEYS
        assert result["doc"] in SEED_IDS
        assert result["kind"] in KINDS | {None}
        assert isinstance(result["score"], float)
    azaz = [r for r in results if "Azaz" in r["sentence"]]
    assert azaz
    assert azaz[0]["speaker"] == "Maria Zakharova"
    assert azaz[0]["title"] == "Terrorists in Syria get arms via Turkey border: Russia"


def test_ask_json_reads_one_question_per_line_from_stdin(
    seeds: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = ["who said what about Azaz?", "what did Zakharova say about Turkey?", "Konashenkov"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([questions[0], "", *questions[1:]])))
    assert main(["ask", "--json", "--corpus", str(seeds)]) == 0
    assert [r["question"] for r in json_lines(capsys.readouterr().out)] == questions


def test_ask_joins_the_words_of_an_unquoted_question(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ask", "--json", "--corpus", str(seeds), "who", "said", "what", "about", "Azaz?"])
    assert json_lines(capsys.readouterr().out)[0]["question"] == "who said what about Azaz?"


def test_ask_prints_the_answer_as_a_person_reads_it(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--corpus", str(seeds), "who said what about Azaz?"]) == 0
    out = capsys.readouterr().out
    assert "Zakharova" in out
    assert "Terrorists in Syria get arms via Turkey border: Russia" in out
    assert not out.lstrip().startswith("{")


def test_ask_json_in_a_fresh_process_answers_each_stdin_line(seeds: Path) -> None:
    result = run(
        "ask", "--json", "--corpus", seeds, stdin="who said what about Azaz?\nwho said it?\n"
    )
    assert result.returncode == 0, result.stderr
    assert [r["question"] for r in json_lines(result.stdout)] == [
        "who said what about Azaz?",
        "who said it?",
    ]


# --- sources and --corpus --------------------------------------------------------------------


def test_sources_lists_documents_with_title_date_and_sentence_count(
    seeds: Path, seed_corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--corpus", str(seeds)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(seed_corpus.documents)
    doc_id, title, date, sentences = lines[1].split("\t")
    zakharova = seed_corpus.documents[1]
    assert (doc_id, title, date) == (zakharova.doc_id, zakharova.title, "2016-01-21")
    count = sum(1 for s in seed_corpus.sentences if s.doc_index == 1)
    assert sentences == f"{count} sentences"


def test_skipped_file_is_listed_by_sources_and_warned_about_while_the_rest_loads(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(seeds / "004_5693fbc6e7f5f2c4.txt", tmp_path)
    (tmp_path / "empty.txt").write_text("")
    assert main(["sources", "--corpus", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("004_5693fbc6e7f5f2c4.txt\t")
    assert captured.out.splitlines()[1] == f"skipped {tmp_path / 'empty.txt'}: empty file"
    assert captured.err == f"warning: skipped {tmp_path / 'empty.txt'}: empty file\n"


def test_corpus_option_is_repeatable_and_takes_files_and_folders(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "talks.md").write_text("Talks\n\nLavrov said the talks went well.\n")
    main(
        ["sources", "--corpus", str(seeds / "000_c95f25a13bd07841.txt"), "--corpus", str(tmp_path)]
    )
    doc_ids = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert doc_ids == ["000_c95f25a13bd07841.txt", "sub/talks.md"]


def test_without_corpus_option_the_configured_corpus_is_used(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "talks.txt").write_text("Talks\n\nLavrov said the talks went well.\n")
    monkeypatch.setenv("CORPUS_PATHS", str(tmp_path))
    main(["sources"])
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["talks.txt"]


# --- Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["ask", "--corpus", "no/such/folder", "who said it?"], {}, "no such file or folder"),
        (["quotes", "--json", "--corpus", "no/such/file.txt"], {}, "no such file or folder"),
        (["sources", "--corpus", "{empty}"], {}, "the corpus is empty"),
        (["ask", "--corpus", "seeds", ""], {}, "the question is empty"),
        (["ask", "--json", "--corpus", "seeds", "  "], {}, "the question is empty"),
        (["sources"], {"MAX_FILE_BYTES": "lots"}, "MAX_FILE_BYTES"),
    ],
    ids=[
        "no_such_folder",
        "no_such_file",
        "empty_corpus",
        "empty_question",
        "blank_question",
        "bad_setting",
    ],
)
def test_user_mistake_prints_one_line_to_stderr_and_exits_non_zero(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    result = run(*(arg.replace("{empty}", str(tmp_path)) for arg in args), env=env)
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert message in result.stderr


def test_reader_that_stops_early_gets_no_traceback(seeds: Path) -> None:
    """`python -m bot quotes --json | head -1`: the pipe closes before the output ends."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "quotes", "--json", "--corpus", str(seeds)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
