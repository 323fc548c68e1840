"""Settings: every one documented in the README, read from ROUEI_* variables."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme():
    text = README.read_text("utf-8")
    for name in Settings.model_fields:
        assert f"`ROUEI_{name.upper()}`" in text, f"ROUEI_{name.upper()} is not documented"


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ROUEI_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("ROUEI_PAGE_SIZE", "7")
    monkeypatch.setenv("ROUEI_LOAD_SEED", "false")
    settings = Settings()
    assert settings.database_url == "sqlite:///elsewhere.db"
    assert settings.page_size == 7 and settings.load_seed is False


def test_readme_starts_with_the_two_commands():
    lines = README.read_text("utf-8").splitlines()
    assert lines[0].startswith("```")
    assert lines[1].split("#")[0].strip() == "make serve"
    assert lines[2].split("#")[0].strip() == "make test"
    assert lines[3] == "```"
