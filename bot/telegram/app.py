"""The Application: every handler wired in one place, in the order updates are tried.

`build_application` returns a ready python-telegram-bot Application holding the bot's state;
`publish_commands` sets the command menus. `service.serve` runs it.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from telegram import (
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings, SettingsError
from bot.corpus import Corpus, Reloader
from bot.telegram import admin, handlers, texts
from bot.telegram.addressing import AddressedInGroup, CaptionCommandFilter
from bot.telegram.errors import on_error
from bot.telegram.pages import SentAnswers
from bot.telegram.state import (
    STATE_KEY,
    BotContext,
    BotState,
    ChatCooldown,
    Clock,
    CorpusBuilder,
    Library,
    state_of,
)

RATE_LIMIT_RETRIES = 3  # a request hit by Telegram's flood control (429) is retried this often

BotApplication = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]

_LOGGER = logging.getLogger(__name__)


def build_application(
    settings: Settings,
    corpus: Corpus,
    *,
    corpus_builder: CorpusBuilder | None = None,
    clock: Clock = time.monotonic,
) -> BotApplication:
    """The bot for `settings`, answering from `corpus` until a reload replaces it.

    `corpus_builder` and `clock` are what reloads and expiries use; tests pass their own.
    """
    if not settings.telegram_bot_token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set; put the token from @BotFather in .env")
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .context_types(ContextTypes(context=BotContext))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
        builder = builder.base_file_url(_file_url(settings))
    application = builder.build()
    application.bot_data[STATE_KEY] = BotState(
        settings=settings,
        library=Library(corpus, datetime.now(UTC)),
        build_corpus=corpus_builder or Reloader(corpus, cache_dir=settings.cache_dir),
        clock=clock,
        started=clock(),
        sent=SentAnswers(clock),
        cooldown=ChatCooldown(settings.chat_cooldown_seconds, clock),
    )
    _add_handlers(application)
    return application


def _add_handlers(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    # Questions come new or edited (an edited question edits its answer); other commands
    # and documents only new, so that editing `/reload` doesn't reload twice.
    messages = filters.UpdateType.MESSAGES
    new = filters.UpdateType.MESSAGE

    # Updates are handled one at a time, in arrival order (python-telegram-bot's default):
    # answers are quick, and a reload runs as a background task, never holding them up.
    # Order matters: within the group the first matching handler wins.
    # 1. Commands. CommandHandler ignores `/cmd@otherbot` by itself, and answers `/cmd` and
    #    `/cmd@thisbot` in private chats and groups alike.
    application.add_handlers(
        [
            CommandHandler("ask", handlers.ask, filters=messages),
            CommandHandler("who", handlers.who, filters=messages),
            CommandHandler("said", handlers.said, filters=messages),
            CommandHandler("start", handlers.start, filters=new),
            CommandHandler("help", handlers.help_command, filters=new),
            CommandHandler("privacy", handlers.privacy, filters=new),
            CommandHandler("speakers", handlers.speakers, filters=new),
            CommandHandler("sources", handlers.sources, filters=new),
            CommandHandler("reload", admin.reload, filters=new),
            CommandHandler("stats", admin.stats, filters=new),
        ]
    )
    # 2. A document captioned `/add`: a command too, but in a caption, which CommandHandler
    #    never looks at.
    application.add_handler(
        MessageHandler(
            new & filters.Document.ALL & CaptionCommandFilter("add"),
            admin.add_document,
        )
    )
    # 3. Buttons and inline queries: their own update types, no overlap with messages.
    application.add_handler(CallbackQueryHandler(handlers.turn_page, pattern=r"^page:"))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    # 4. Questions: any other text in a private chat; in groups only text that mentions the
    #    bot or replies to it. Everything else in groups is chatter and reaches no handler.
    application.add_handler(
        MessageHandler(
            messages & private & filters.TEXT & ~filters.COMMAND, handlers.private_question
        )
    )
    application.add_handler(
        MessageHandler(
            messages & groups & filters.TEXT & ~filters.COMMAND & AddressedInGroup(),
            handlers.group_question,
        )
    )
    # 5. Last: a command nobody handled, in a private chat, gets a pointer to /help. (In
    #    groups it may belong to another bot.)
    application.add_handler(
        MessageHandler(new & private & filters.COMMAND, handlers.unknown_command)
    )
    application.add_error_handler(on_error)


async def publish_commands(application: BotApplication) -> None:
    """Command menus by scope: private chats, groups, and each admin's private chat."""
    bot = application.bot
    await bot.set_my_commands(texts.PRIVATE_COMMANDS, scope=BotCommandScopeDefault())
    await bot.set_my_commands(texts.PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(texts.GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    admin_commands = texts.PRIVATE_COMMANDS + texts.ADMIN_COMMANDS
    for admin_id in sorted(state_of(application).settings.admin_user_ids):
        try:
            await bot.set_my_commands(admin_commands, scope=BotCommandScopeChat(admin_id))
        except BadRequest as error:
            # Telegram knows a private chat only once its user has written to the bot.
            _LOGGER.warning(
                "admin %s doesn't see the admin commands in the menu until restart: %s",
                admin_id,
                error,
            )


def _file_url(settings: Settings) -> str:
    """TELEGRAM_API_FILE_URL, or what a Bot API server at TELEGRAM_API_BASE_URL serves files at."""
    if settings.telegram_api_file_url:
        return settings.telegram_api_file_url
    base = settings.telegram_api_base_url or ""
    return base.removesuffix("/bot") + "/file/bot" if base.endswith("/bot") else base
