"""Fixtures for end-to-end tests against the local fake Telegram Bot API server."""

from collections.abc import AsyncIterator

import pytest

from .fake_bot_api import FakeBotApi


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeBotApi]:
    """A running FakeBotApi on 127.0.0.1 and a random free port, stopped after the test.

    The test also fails if the fake itself crashed while answering a request.
    """
    async with FakeBotApi() as fake:
        yield fake
    assert not fake.server_errors, f"the fake Bot API crashed: {fake.server_errors!r}"
