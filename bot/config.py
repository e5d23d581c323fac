"""Configuration: read the environment (and `.env`) once into one immutable Settings object."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_PATHS = (PROJECT_ROOT / "seeds", PROJECT_ROOT / "corpus")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and says how to fix it."""


@dataclass(frozen=True)
class Settings:
    corpus_paths: tuple[Path, ...] = DEFAULT_CORPUS_PATHS
    max_file_bytes: int = 5_000_000
    telegram_bot_token: str | None = field(default=None, repr=False)
    admin_user_ids: frozenset[int] = frozenset()
    upload_dir: Path = PROJECT_ROOT / "corpus"
    max_results: int = 30
    page_chars: int = 3500
    chat_cooldown_seconds: float = 3.0
    log_level: str = "INFO"
    telegram_api_base_url: str | None = None
    telegram_api_file_url: str | None = None
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret_token: str | None = field(default=None, repr=False)
    cache_dir: Path | None = PROJECT_ROOT / ".cache"  # None: build from scratch every time
    workers: int | None = None  # processes that build the corpus; None: one per core


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = PROJECT_ROOT / ".env"
) -> Settings:
    """Settings from `.env` overlaid by the process environment (which wins)."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    settings = {name: value.strip() for name, value in values.items() if value.strip()}
    defaults = Settings()
    text = settings.get
    return Settings(
        corpus_paths=_paths(text("CORPUS_PATHS")) or defaults.corpus_paths,
        max_file_bytes=_whole_number(settings, "MAX_FILE_BYTES", defaults.max_file_bytes, 1),
        telegram_bot_token=text("TELEGRAM_BOT_TOKEN"),
        admin_user_ids=_user_ids(text("ADMIN_USER_IDS")),
        upload_dir=_project_path(text("UPLOAD_DIR") or str(defaults.upload_dir)),
        max_results=_whole_number(settings, "MAX_RESULTS", defaults.max_results, 1),
        page_chars=_whole_number(settings, "PAGE_CHARS", defaults.page_chars, 500),
        chat_cooldown_seconds=_seconds(
            settings, "CHAT_COOLDOWN_SECONDS", defaults.chat_cooldown_seconds
        ),
        log_level=_log_level(text("LOG_LEVEL") or defaults.log_level),
        telegram_api_base_url=text("TELEGRAM_API_BASE_URL"),
        telegram_api_file_url=text("TELEGRAM_API_FILE_URL"),
        webhook_url=text("WEBHOOK_URL"),
        webhook_listen=text("WEBHOOK_LISTEN") or defaults.webhook_listen,
        webhook_port=_whole_number(settings, "WEBHOOK_PORT", defaults.webhook_port, 1, 65535),
        webhook_secret_token=text("WEBHOOK_SECRET_TOKEN"),
        cache_dir=_cache_dir(text("CACHE_DIR"), defaults.cache_dir),
        workers=_whole_number(settings, "WORKERS", 0, 0, 256) or None,
    )


def _cache_dir(raw: str | None, default: Path | None) -> Path | None:
    """CACHE_DIR: a folder (relative to the project), or "off" to build without a cache."""
    if raw is None:
        return default
    if raw.casefold() in {"off", "none", "no", "false", "0"}:
        return None
    return _project_path(raw)


def _whole_number(
    settings: Mapping[str, str], name: str, default: int, minimum: int, maximum: int | None = None
) -> int:
    raw = settings.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(
            f"{name}={raw!r} is not a whole number; set it to {_range(minimum, maximum)} "
            "or remove it"
        ) from None
    if value < minimum or (maximum is not None and value > maximum):
        raise SettingsError(
            f"{name}={raw!r} is out of range; it must be {_range(minimum, maximum)}"
        )
    return value


def _seconds(settings: Mapping[str, str], name: str, default: float) -> float:
    raw = settings.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):  # "nan" and "inf" parse, but are no duration
        raise SettingsError(f"{name}={raw!r} is not a number of seconds; set it to 0 or more")
    return value


def _range(minimum: int, maximum: int | None) -> str:
    return f"at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"


def _paths(raw: str | None) -> tuple[Path, ...]:
    """Corpus paths separated by commas (or the OS path separator), relative to the project."""
    if raw is None:
        return ()
    parts = [p.strip() for p in raw.replace(os.pathsep, ",").split(",") if p.strip()]
    return tuple(map(_project_path, parts))


def _project_path(raw: str) -> Path:
    """A path from the settings: relative ones are relative to the project folder."""
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _user_ids(raw: str | None) -> frozenset[int]:
    if raw is None:
        return frozenset()
    ids = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError(
                f"ADMIN_USER_IDS contains {part!r}, which is not a Telegram user id; "
                "use comma-separated numbers such as 12345,67890"
            )
        ids.add(int(part))
    return frozenset(ids)


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in _LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL={raw!r} is not one of {', '.join(_LOG_LEVELS)}")
    return level
