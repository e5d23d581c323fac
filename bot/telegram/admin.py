"""Admin commands: /reload, /stats, and /add of an article sent as a document.

Each is allowed to ADMIN_USER_IDS only, enforced here (the command menu merely hides them).
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Update

from bot.telegram import texts
from bot.telegram.addressing import caption_command, in_group
from bot.telegram.decorators import admins_only
from bot.telegram.reloading import figures, reload_corpus, report_pages, when
from bot.telegram.sending import send_pages
from bot.telegram.state import BotContext, BotState
from bot.telegram.uploads import (
    UploadError,
    check_size,
    check_text,
    is_within,
    safe_file_name,
    save_upload,
)

_LOGGER = logging.getLogger(__name__)


@admins_only("/reload")
async def reload(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    busy = context.state.reload_lock.locked()
    await message.reply_html(
        texts.RELOAD_QUEUED if busy else texts.RELOAD_STARTED, do_quote=in_group(update)
    )
    _LOGGER.info("reload asked for by user %s", _user_id(update))
    context.application.create_task(_reload_and_report(context, message.chat_id), update=update)


@admins_only("/stats")
async def stats(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_html(stats_text(context.state), do_quote=in_group(update))


@admins_only("/add")
async def add_document(update: Update, context: BotContext) -> None:
    """Save the attached .txt/.md article into the upload folder, then reload."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    settings = context.state.settings
    command = caption_command(message, context.bot.username)
    replace = command is not None and "replace" in command.arguments
    document = message.document
    try:
        if not is_within(settings.upload_dir, settings.corpus_paths):
            raise UploadError(
                f"the upload folder {settings.upload_dir} is not part of the corpus "
                "(CORPUS_PATHS), so the article would never be read; ask the operator to fix it"
            )
        name = safe_file_name(document.file_name)
        check_size(document.file_size, settings.max_file_bytes)
        file = await document.get_file()
        content = bytes(await file.download_as_bytearray())
        check_text(content, settings.max_file_bytes)
        saved = save_upload(settings.upload_dir, name, content, replace=replace)
    except UploadError as error:
        _LOGGER.info("upload %r refused: %s", document.file_name, error)
        await message.reply_html(f"Not added: {escape(str(error))}.", do_quote=in_group(update))
        return
    _LOGGER.info(
        "user %s added %s%s",
        _user_id(update),
        saved.path,
        " (replacing the old file)" if saved.replaced else "",
    )
    verb = "Replaced" if saved.replaced else "Saved"
    await message.reply_html(
        f"{verb} <code>{escape(saved.path.name)}</code>. {texts.RELOAD_STARTED}",
        do_quote=in_group(update),
    )
    context.application.create_task(_reload_and_report(context, message.chat_id), update=update)


async def _reload_and_report(context: BotContext, chat_id: int) -> None:
    state = context.state
    outcome = await reload_corpus(state)
    await send_pages(
        context, chat_id, report_pages(outcome, state.library, state.settings.page_chars)
    )


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def stats_text(state: BotState) -> str:
    library = state.library
    uptime = int(state.clock() - state.started)
    last = state.last_reload
    if last is None:
        reload_line = "none since start"
    elif last.error is None:
        reload_line = f"{when(last.finished_at)}, took {last.seconds:.1f} s"
    else:
        reload_line = f"{when(last.finished_at)}, failed: {escape(last.error)}"
    return (
        f"<b>Corpus</b>: {figures(library.corpus)}, {len(library.corpus.skipped)} skipped "
        f"file(s), loaded {when(library.loaded_at)}\n"
        f"<b>Uptime</b>: {uptime // 3600} h {uptime % 3600 // 60} min {uptime % 60} s\n"
        f"<b>Questions answered</b>: {state.questions_answered}\n"
        f"<b>Last reload</b>: {reload_line}"
    )
