"""Settings: defaults, `.env`, the environment winning over it, and clear errors."""

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings, SettingsError, load_settings


def settings_from(environ: dict[str, str], env_file: Path | None = None) -> Settings:
    return load_settings(environ, env_file)


def test_defaults_without_environment_or_env_file() -> None:
    settings = settings_from({})
    assert settings == Settings()
    assert settings.corpus_paths == (PROJECT_ROOT / "seeds", PROJECT_ROOT / "corpus")
    assert settings.telegram_bot_token is None
    assert settings.max_file_bytes == 5_000_000
    assert settings.admin_user_ids == frozenset()


def test_missing_env_file_is_no_error(tmp_path: Path) -> None:
    assert settings_from({}, tmp_path / ".env") == Settings()


def test_env_file_is_read(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\nTELEGRAM_BOT_TOKEN=123:abc\nMAX_RESULTS=7\nADMIN_USER_IDS=1, 2,3\n"
        "LOG_LEVEL=debug\nCORPUS_PATHS=seeds\n"
    )
    settings = settings_from({}, env_file)
    assert settings.telegram_bot_token == "123:abc"
    assert settings.max_results == 7
    assert settings.admin_user_ids == frozenset({1, 2, 3})
    assert settings.log_level == "DEBUG"
    assert settings.corpus_paths == (PROJECT_ROOT / "seeds",)


def test_environment_wins_over_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("TELEGRAM_BOT_TOKEN=from-file\nMAX_RESULTS=7\nPAGE_CHARS=900\n")
    settings = settings_from({"TELEGRAM_BOT_TOKEN": "from-env", "MAX_RESULTS": "9"}, env_file)
    assert (settings.telegram_bot_token, settings.max_results) == ("from-env", 9)
    assert settings.page_chars == 900


def test_empty_value_means_the_default() -> None:
    settings = settings_from({"MAX_RESULTS": "", "TELEGRAM_BOT_TOKEN": "  ", "CORPUS_PATHS": ""})
    assert (settings.max_results, settings.telegram_bot_token) == (30, None)
    assert settings.corpus_paths == Settings().corpus_paths


def test_corpus_paths_are_comma_separated_and_relative_to_the_project(tmp_path: Path) -> None:
    settings = settings_from({"CORPUS_PATHS": f"seeds, {tmp_path} ,more/articles"})
    assert settings.corpus_paths == (
        PROJECT_ROOT / "seeds",
        tmp_path,
        PROJECT_ROOT / "more" / "articles",
    )


def test_upload_dir_is_relative_to_the_project_like_the_corpus_paths() -> None:
    assert settings_from({"UPLOAD_DIR": "corpus"}).upload_dir == PROJECT_ROOT / "corpus"
    assert settings_from({"UPLOAD_DIR": "/srv/uploads"}).upload_dir == Path("/srv/uploads")


def test_numbers_are_read() -> None:
    settings = settings_from(
        {"CHAT_COOLDOWN_SECONDS": "0.5", "WEBHOOK_PORT": "8080", "MAX_FILE_BYTES": "1000"}
    )
    assert (settings.chat_cooldown_seconds, settings.webhook_port) == (0.5, 8080)
    assert settings.max_file_bytes == 1000


def test_token_is_never_shown_in_the_settings_repr() -> None:
    settings = settings_from({"TELEGRAM_BOT_TOKEN": "123:secret", "WEBHOOK_SECRET_TOKEN": "s3"})
    assert "secret" not in repr(settings)
    assert "s3" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_FILE_BYTES", "5MB"),
        ("MAX_FILE_BYTES", "0"),
        ("MAX_RESULTS", "ten"),
        ("MAX_RESULTS", "2.5"),
        ("PAGE_CHARS", "10"),
        ("CHAT_COOLDOWN_SECONDS", "soon"),
        ("CHAT_COOLDOWN_SECONDS", "-1"),
        ("CHAT_COOLDOWN_SECONDS", "nan"),
        ("CHAT_COOLDOWN_SECONDS", "inf"),
        ("WEBHOOK_PORT", "http"),
        ("WEBHOOK_PORT", "70000"),
        ("ADMIN_USER_IDS", "@alice"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_malformed_value_is_a_settings_error_naming_the_setting(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name) as error:
        settings_from({name: value})
    assert value in str(error.value)


def test_malformed_value_in_env_file_is_a_settings_error_too(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("MAX_RESULTS=lots\n")
    with pytest.raises(SettingsError, match="MAX_RESULTS"):
        settings_from({}, env_file)
