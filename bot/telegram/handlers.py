"""Handler callbacks for everyone: commands, questions, page buttons and inline queries.

Each is a flat `async def callback(update, context)`; `app.build_application` decides which
update reaches which callback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from html import escape

from telegram import (
    CallbackQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest

from bot.answers import Result, answer
from bot.telegram import texts
from bot.telegram.addressing import in_group, question_of
from bot.telegram.decorators import cooldown
from bot.telegram.errors import is_harmless
from bot.telegram.pages import keyboard, parse_callback_data
from bot.telegram.replies import (
    answer_pages,
    sources_pages,
    speakers_pages,
    statement_html,
    statement_summary,
    statement_title,
)
from bot.telegram.sending import reply_pages
from bot.telegram.state import BotContext

MAX_INLINE_RESULTS = 50  # Telegram's limit per answer
INLINE_CACHE_SECONDS = 30  # short: a reload or /add changes the answers

_LOGGER = logging.getLogger(__name__)


# ---- Fixed replies ---------------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> None:
    if context.args and context.args[0] == "help":  # the inline "how to ask" button
        await help_command(update, context)
        return
    await _reply(update, texts.START)


async def help_command(update: Update, context: BotContext) -> None:
    text = texts.HELP.format(username=escape(context.bot.username))
    user = update.effective_user
    if user is not None and user.id in context.state.settings.admin_user_ids:
        text += texts.ADMIN_HELP
    await _reply(update, text)


async def privacy(update: Update, context: BotContext) -> None:
    await _reply(update, texts.PRIVACY)


async def unknown_command(update: Update, context: BotContext) -> None:
    await _reply(update, texts.UNKNOWN_COMMAND)


# ---- Questions -------------------------------------------------------------------------------


@cooldown
async def ask(update: Update, context: BotContext) -> None:
    await _answer(update, context, " ".join(context.args or ()), usage=texts.USAGE["ask"])


@cooldown
async def who(update: Update, context: BotContext) -> None:
    topic = " ".join(context.args or ())
    question = f"who said what about {topic}" if topic else ""
    await _answer(update, context, question, usage=texts.USAGE["who"])


@cooldown
async def said(update: Update, context: BotContext) -> None:
    speaker = " ".join(context.args or ())
    question = f"what did {speaker} say" if speaker else ""
    await _answer(update, context, question, usage=texts.USAGE["said"])


@cooldown
async def private_question(update: Update, context: BotContext) -> None:
    """Any text in a private chat is a question."""
    message = update.effective_message
    await _answer(update, context, message.text or "" if message else "", usage=texts.START)


@cooldown
async def group_question(update: Update, context: BotContext) -> None:
    """A group message that mentions the bot or replies to it; the mention is not the question."""
    message = update.effective_message
    question = question_of(message, context.bot.username) if message else ""
    await _answer(update, context, question, usage=texts.USAGE["ask"])


async def _answer(update: Update, context: BotContext, question: str, *, usage: str) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if not question.strip():
        await _reply(update, usage)
        return
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    state = context.state
    settings = state.settings
    _LOGGER.debug("question in chat %s: %r", chat.id, question)
    pages = answer_pages(state.library.corpus, question, settings.max_results, settings.page_chars)
    state.questions_answered += 1
    await reply_pages(update, context, pages)


# ---- Listings --------------------------------------------------------------------------------


@cooldown
async def speakers(update: Update, context: BotContext) -> None:
    state = context.state
    await reply_pages(
        update, context, speakers_pages(state.library.corpus, state.settings.page_chars)
    )


@cooldown
async def sources(update: Update, context: BotContext) -> None:
    state = context.state
    await reply_pages(
        update, context, sources_pages(state.library.corpus, state.settings.page_chars)
    )


# ---- Page buttons ----------------------------------------------------------------------------


async def turn_page(update: Update, context: BotContext) -> None:
    """More/Back: edit the message in place to show another page, if the pages are still kept."""
    query = update.callback_query
    if query is None:
        return
    request = parse_callback_data(query.data)
    pages = context.state.sent.pages(request.token) if request else None
    if request is None or pages is None or request.index >= len(pages):
        await _answer_button(query.answer(texts.PAGE_EXPIRED, show_alert=True))
        await _remove_buttons(query)
        return
    await _answer_button(query.answer())
    markup = keyboard(request.token, request.index, len(pages))
    await query.edit_message_text(pages[request.index], reply_markup=markup)


async def _answer_button(answering: Awaitable[bool]) -> None:
    """Answer a button press; if Telegram stopped waiting for that, turn the page anyway."""
    try:
        await answering
    except BadRequest as error:
        if not is_harmless(error):
            raise
        _LOGGER.debug("button answered too late: %s", error)


async def _remove_buttons(query: CallbackQuery) -> None:
    """Take stale buttons off a message; a message too old to edit keeps them, harmlessly."""
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as error:
        _LOGGER.info("stale buttons stay on a message: %s", error)


# ---- Inline mode -----------------------------------------------------------------------------


async def inline_query(update: Update, context: BotContext) -> None:
    """`@bot Azaz` in any chat: the matching statements, each sending a quoted excerpt."""
    query = update.inline_query
    if query is None:
        return
    question = query.query.strip()
    username = escape(context.bot.username)
    if not question:
        help_article = InlineQueryResultArticle(
            "help",
            texts.INLINE_HELP_TITLE,
            InputTextMessageContent(
                texts.INLINE_HELP_MESSAGE.format(username=username), parse_mode=ParseMode.HTML
            ),
            description=texts.INLINE_HELP_DESCRIPTION,
        )
        await query.answer([help_article], cache_time=INLINE_CACHE_SECONDS)
        return
    limit = min(MAX_INLINE_RESULTS, context.state.settings.max_results)
    results = answer(context.state.library.corpus, question, max_results=limit).results
    articles = _articles(results, limit)
    button = (
        None
        if articles
        else InlineQueryResultsButton(texts.INLINE_NOTHING_FOUND, start_parameter="help")
    )
    await query.answer(articles, cache_time=INLINE_CACHE_SECONDS, button=button)


def _articles(results: tuple[Result, ...], limit: int) -> list[InlineQueryResultArticle]:
    articles: dict[str, InlineQueryResultArticle] = {}
    for result in results:
        if len(articles) == limit:
            break
        result_id = str(result.statement.statement_id)
        if result_id in articles:
            continue
        articles[result_id] = InlineQueryResultArticle(
            result_id,
            statement_title(result),
            InputTextMessageContent(statement_html(result), parse_mode=ParseMode.HTML),
            description=statement_summary(result),
        )
    return list(articles.values())


async def _reply(update: Update, text: str) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_html(text, do_quote=in_group(update))
