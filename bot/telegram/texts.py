"""What the bot says: every fixed message and the command menus, in one reviewable place.

Messages are Telegram HTML; anything taken from users or the corpus is escaped where it is
inserted, never here.
"""

from __future__ import annotations

from telegram import BotCommand

EXAMPLE_QUESTION = "who said what about Azaz?"

START = (
    "<b>Who said what</b> finds quoted, attributed statements in a corpus of news articles.\n\n"
    f"Ask me a question, for example:\n<code>{EXAMPLE_QUESTION}</code>\n\n"
    "/help shows every way to ask."
)

HELP = (
    "<b>Asking</b>\n"
    "In this chat any message is a question:\n"
    "• a topic: <code>who said what about Azaz?</code> or just <code>Azaz</code>\n"
    "• a speaker: <code>what did Zakharova say?</code>\n"
    "• both: <code>what did Zakharova say about Turkey?</code>\n"
    "• a claim: <code>who said the talks may be delayed?</code>\n\n"
    "<b>Commands</b>\n"
    "/ask QUESTION – the same as writing the question\n"
    "/who TOPIC – who said what about a topic\n"
    "/said SPEAKER – what a speaker said\n"
    "/speakers – everyone quoted in the corpus\n"
    "/sources – the articles in the corpus\n"
    "/privacy – what the bot stores and logs\n\n"
    "<b>In groups</b>\n"
    "Use <code>/ask@{username} QUESTION</code>, mention @{username} in a message, or reply to "
    "one of my messages. I ignore everything else.\n\n"
    "<b>Anywhere</b>\n"
    "Type <code>@{username} Azaz</code> in any chat to pick a quote to share."
)

ADMIN_HELP = (
    "\n\n<b>Admin commands</b> (you are an admin)\n"
    "/reload – rebuild the corpus from disk; I keep answering meanwhile\n"
    "/stats – corpus figures, uptime, questions answered, last reload\n"
    "Send a .txt or .md article with the caption <code>/add</code> to add it to the corpus "
    "(<code>/add replace</code> replaces a file of the same name)."
)

PRIVACY = (
    "<b>What this bot stores</b>\n"
    "Nothing about you. It keeps only the corpus of news articles on its server. Long answers "
    "are kept in memory for a few hours so that the More and Back buttons work, and are "
    "forgotten on restart.\n\n"
    "<b>What it logs</b>\n"
    "Errors (with the Telegram update number), reloads, added documents, and refused admin "
    "commands with the Telegram user id of whoever tried. Questions appear in the log only when "
    "the operator turns on debug logging."
)

USAGE = {
    "ask": f"Ask a question after the command, e.g. <code>/ask {EXAMPLE_QUESTION}</code>",
    "who": "Name a topic after the command, e.g. <code>/who Azaz</code>",
    "said": "Name a speaker after the command, e.g. <code>/said Zakharova</code>",
}

UNKNOWN_COMMAND = "I don't know that command. /help lists the ones I do."
ADMINS_ONLY = "Sorry, {command} is for this bot's admins only. Nothing was changed."
SOMETHING_WENT_WRONG = "Sorry, something went wrong while answering. Please try again."
PAGE_EXPIRED = "These results have expired. Please ask the question again."

RELOAD_STARTED = "Reloading the corpus from disk… I keep answering from the current one meanwhile."
RELOAD_QUEUED = "A reload is already running; yours starts as soon as it ends."

INLINE_HELP_TITLE = "Type a topic or a speaker"
INLINE_HELP_DESCRIPTION = "e.g. Azaz, Zakharova, or: who said the talks may be delayed?"
INLINE_HELP_MESSAGE = (
    "Ask <b>Who said what</b> about a topic or a speaker: type <code>@{username} Azaz</code> "
    "in any chat and pick a quote."
)
INLINE_NOTHING_FOUND = "Nobody is quoted on that – how to ask"

# The command menus. Telegram shows a user the most specific scope that has commands.
PRIVATE_COMMANDS = (
    BotCommand("ask", "Ask who said what, e.g. /ask who said what about Azaz?"),
    BotCommand("who", "Who said what about a topic"),
    BotCommand("said", "What a speaker said"),
    BotCommand("speakers", "Everyone quoted in the corpus"),
    BotCommand("sources", "The articles in the corpus"),
    BotCommand("help", "How to ask, in private chats and groups"),
    BotCommand("privacy", "What the bot stores and logs"),
    BotCommand("start", "What this bot does"),
)
GROUP_COMMANDS = (
    BotCommand("ask", "Ask who said what about a topic or a speaker"),
    BotCommand("who", "Who said what about a topic"),
    BotCommand("said", "What a speaker said"),
    BotCommand("help", "How to ask"),
)
ADMIN_COMMANDS = (
    BotCommand("reload", "Admin: rebuild the corpus from disk"),
    BotCommand("stats", "Admin: corpus figures, uptime, last reload"),
    BotCommand("add", "Admin: send a .txt/.md article with this caption"),
)
