"""Who said what: a Telegram bot answering "who said what about X?" from news articles."""

from bot.compiled import use_source_when_stale

use_source_when_stale()
