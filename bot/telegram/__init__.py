"""The Telegram front door: everything that knows Telegram exists, and nothing else.

`app.build_application` wires the handlers; `service.run` runs the bot as a service (polling
or a webhook, signals, logging). The engine below never imports from here.
"""
