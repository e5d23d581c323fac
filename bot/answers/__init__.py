"""Answers: read a question, retrieve the statements that answer it, group them by speaker.

The API the front doors use (the CLI, the console chat, the Telegram bot)::

    answer(corpus, question, max_results=30) -> Answer
        Never raises, whatever the text. `Answer.status` is "answered" or says why nobody is
        quoted: "empty", "no_terms" (only question words), "unknown_speaker" (with
        `suggestions`), "speaker_silent" (quoted, not on the topic; `others_quoted` counts
        who is), "not_quoted" (mentioned, `mentioned_in` says where) or "not_found" (with
        close words and speakers as `suggestions`). `Answer.groups` holds one SpeakerGroup per
        speaker, speakers ordered by their best statement, statements in document order;
        `Answer.results` flattens them and `Answer.omitted` counts those past `max_results`.
        A Result carries the Statement and its Speaker, Sentence and Document, the `excerpt`
        exactly as published, and the `highlights` (spans) of the question's terms in it.
    speakers_listing(corpus) -> SpeakerListing   everyone quoted, most quoted first
    sources_listing(corpus) -> SourceListing     every document with its counts, newest first

Rendering is bot.render's job: `plain(reply)`, `telegram_pages(reply, page_chars)` and
`telegram_statement(result, max_chars)`; a reply is an Answer or either listing.

Questions people ask: a topic ("who said what about Azaz?", "anything on Aleppo", "Azaz"), a
speaker ("what did Zakharova say?", "quotes from Maria Zakharova", "Zakharova"), both ("what
did Zakharova say about Turkey?", "Zakharova on Turkey"), or a claim ("who said the talks may
be delayed?"). Parsing is in questions.py (frames in bot.questions_lexicon), speaker names in
speakers.py, the relevance rules in retrieval.py, assembling the answer in replies.py.
"""

from bot.answers.listings import sources_listing, speakers_listing
from bot.answers.model import (
    Answer,
    Question,
    Result,
    SourceEntry,
    SourceListing,
    SpeakerEntry,
    SpeakerGroup,
    SpeakerListing,
    Status,
)
from bot.answers.questions import MAX_QUESTION_CHARS
from bot.answers.replies import DEFAULT_MAX_RESULTS, answer


class QuestionError(ValueError):
    """A question the command line refuses (an empty argument); `answer` itself never raises."""


__all__ = [
    "DEFAULT_MAX_RESULTS",
    "MAX_QUESTION_CHARS",
    "Answer",
    "Question",
    "QuestionError",
    "Result",
    "SourceEntry",
    "SourceListing",
    "SpeakerEntry",
    "SpeakerGroup",
    "SpeakerListing",
    "Status",
    "answer",
    "sources_listing",
    "speakers_listing",
]
