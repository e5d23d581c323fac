"""The command line: `python -m bot run | ask | quotes | sources`, a thin door onto the engine."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from bot.answers import Answer, QuestionError, answer
from bot.config import Settings, SettingsError, load_settings
from bot.corpus import Corpus, build_corpus
from bot.documents import CorpusError
from bot.render import plain


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        settings = load_settings()
        if arguments.corpus:
            # The corpus asked for is the one every later reload reads too, not the configured one.
            settings = replace(settings, corpus_paths=tuple(arguments.corpus))
        return int(arguments.command(arguments, settings))
    except (CorpusError, SettingsError, QuestionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error to report. Output still buffered
        # goes nowhere, so that flushing it at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Who said what: attributed quotes from news articles."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, help_text: str, function: object) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--corpus",
            action="append",
            type=Path,
            metavar="PATH",
            help="a corpus file or folder (repeatable; default: the configured corpus)",
        )
        sub.set_defaults(command=function)
        return sub

    command("run", "start the bot (a console chat when no Telegram token is set)", _run)
    ask = command("ask", "answer questions (from the arguments, or one per line on stdin)", _ask)
    ask.add_argument("question", nargs="*", help="the question; none: read stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    quotes = command("quotes", "list every attributed statement in the corpus", _quotes)
    quotes.add_argument("--json", action="store_true", help="one JSON object per statement")
    command("sources", "list the loaded documents and any skipped files", _sources)
    command("index", "build or update the corpus cache, with a progress bar", _index)
    return parser


def _corpus(settings: Settings, progress: bool | None = None) -> Corpus:
    paths = settings.corpus_paths
    corpus = build_corpus(
        paths,
        settings.max_file_bytes,
        cache_dir=settings.cache_dir,
        workers=settings.workers,
        progress=sys.stderr.isatty() if progress is None else progress,
    )
    for skipped in corpus.skipped:
        print(f"warning: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    if not corpus.documents:
        raise CorpusError(
            "the corpus is empty: add .txt or .md articles to " + ", ".join(str(p) for p in paths)
        )
    return corpus


def _run(arguments: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token:
        from bot.telegram.service import run

        return run(settings, _corpus(settings))
    from bot.console import chat

    return chat(_corpus(settings), sys.stdin, sys.stdout)


def _index(arguments: argparse.Namespace, settings: Settings) -> int:
    corpus = _corpus(settings, progress=True)
    report = corpus.report
    print(
        f"{len(corpus.documents)} documents, {len(corpus.sentences)} sentences, "
        f"{len(corpus.statements)} statements, {len(corpus.speakers)} speakers; "
        f"{report.files} files ({report.processed} processed, {report.from_cache} from the "
        f"cache) in {report.seconds:.1f} s"
        + (f"; cache: {settings.cache_dir}" if settings.cache_dir else "; no cache")
    )
    print(report.phases_text())
    return 0


def _ask(arguments: argparse.Namespace, settings: Settings) -> int:
    """Answer the question in the arguments, or each non-blank line of stdin."""
    questions: Iterable[str]
    if arguments.question:
        questions = [" ".join(arguments.question)]
        if not questions[0].strip():
            raise QuestionError("the question is empty: ask e.g. 'who said what about Azaz?'")
    else:
        questions = (line.rstrip("\n") for line in sys.stdin)
    corpus = _corpus(settings)
    for question in questions:
        if not question.strip() and not arguments.question:
            continue
        reply = answer(corpus, question, settings.max_results)
        if arguments.json:
            print(json.dumps(answer_json(corpus, reply), ensure_ascii=False), flush=True)
        else:
            print(plain(reply), end="\n\n", flush=True)
    return 0


def answer_json(corpus: Corpus, reply: Answer) -> dict[str, object]:
    """One answer as the JSON object `ask --json` prints (the scorer reads it)."""
    return {
        "question": reply.question.text,
        "message": plain(reply),
        "results": [
            {
                "speaker": result.statement.speaker_name,
                "role": result.statement.role,
                "kind": result.statement.kind,
                "quote": result.excerpt,
                "sentence": result.sentence.text,
                "doc": result.document.doc_id,
                "title": result.document.title,
                "date": result.document.date,
                "score": round(result.score, 4),
            }
            for result in reply.results
        ],
    }


def _quotes(arguments: argparse.Namespace, settings: Settings) -> int:
    corpus = _corpus(settings)
    for statement in corpus.statements:
        document = corpus.document_of(statement)
        sentence = corpus.sentence_of(statement)
        if arguments.json:
            record = {
                "doc": document.doc_id,
                "speaker": statement.speaker_name,
                "role": statement.role,
                "kind": statement.kind,
                "quote": statement.quote,
                "sentence": sentence.text,
                "mention": statement.mention,
                "aliases": list(corpus.speakers[statement.speaker_key].aliases),
                "reporting_verb": statement.reporting_verb,
                "confidence": statement.confidence,
                "start": statement.quote_start,
                "end": statement.quote_end,
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            words = f"“{statement.quote}”" if statement.kind == "direct" else statement.quote
            print(f"{document.doc_id}: {statement.speaker_name}: {words}")
    return 0


def _sources(arguments: argparse.Namespace, settings: Settings) -> int:
    corpus = _corpus(settings)
    counts = Counter(sentence.doc_index for sentence in corpus.sentences)
    for number, document in enumerate(corpus.documents):
        print(
            f"{document.doc_id}\t{document.title or '(untitled)'}\t{document.date or 'no date'}"
            f"\t{counts[number]} sentences"
        )
    for skipped in corpus.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}")
    return 0
