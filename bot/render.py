"""Rendering: an Answer as plain text for the console and the command line."""

from __future__ import annotations

from bot.answers import Answer, Result


def plain(answer: Answer) -> str:
    """The answer as a person reads it in a terminal."""
    if not answer.results:
        return f"Nobody in the corpus is quoted on that: {answer.question.strip()}"
    return "\n\n".join(_plain_result(result) for result in answer.results)


def _plain_result(result: Result) -> str:
    document = result.document
    source = ", ".join(x for x in (document.title, document.outlet, document.date) if x)
    statement = result.statement
    if statement is None:
        return f"{result.sentence.text}\n  — {source}"
    role = f" ({statement.role})" if statement.role else ""
    words = f"“{statement.quote}”" if statement.kind == "direct" else statement.quote
    return f"{statement.speaker_name}{role}: {words}\n  — {source}"
