"""Settings from the environment: documented defaults, overrides, refusals."""
import pytest
from conftest import make_app

from service.config import ConfigError, Settings, default_workers


def test_defaults():
    settings = Settings.from_env({})
    assert (settings.port, settings.max_body_bytes, settings.max_batch_documents,
            settings.max_text_chars, settings.log_level) == (8000, 1048576, 100, 200000, "info")
    assert settings.workers == default_workers() >= 1


def test_overrides():
    settings = Settings.from_env({"PORT": "9000", "WEB_CONCURRENCY": "3", "MAX_BODY_BYTES": "2048",
                                  "MAX_BATCH_DOCUMENTS": "7", "MAX_TEXT_CHARS": "99", "LOG_LEVEL": "DEBUG"})
    assert (settings.port, settings.workers, settings.max_body_bytes, settings.max_batch_documents,
            settings.max_text_chars, settings.log_level) == (9000, 3, 2048, 7, 99, "debug")


@pytest.mark.parametrize("env", [{"PORT": "eighty"}, {"WEB_CONCURRENCY": "0"}, {"MAX_BODY_BYTES": "-1"},
                                 {"LOG_LEVEL": "chatty"}])
def test_bad_values_are_refused_by_name(env):
    with pytest.raises(ConfigError, match=next(iter(env))):
        Settings.from_env(env)


def test_blank_values_mean_default():
    assert Settings.from_env({"PORT": " ", "LOG_LEVEL": ""}).port == 8000


def test_environment_reaches_the_app(monkeypatch):
    monkeypatch.setenv("MAX_BODY_BYTES", "321")
    monkeypatch.setenv("MAX_TEXT_CHARS", "12")
    app = make_app(WARM_UP=False)
    assert app.config["MAX_CONTENT_LENGTH"] == 321 and app.config["MAX_TEXT_CHARS"] == 12


def test_overrides_passed_to_create_app_win(monkeypatch):
    monkeypatch.setenv("MAX_BODY_BYTES", "321")
    assert make_app(WARM_UP=False, MAX_BODY_BYTES=999).config["MAX_CONTENT_LENGTH"] == 999


def test_settings_object_is_accepted():
    from service import create_app
    app = create_app(Settings(max_batch_documents=3))
    assert app.config["MAX_BATCH_DOCUMENTS"] == 3
