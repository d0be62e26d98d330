"""Settings from the environment: defaults, validation, and a token that never shows."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.settings import VARIABLES, Settings, SettingsError, TokenFilter, load_settings

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.secret-token-value"


def test_defaults_need_no_environment() -> None:
    """An empty environment gives usable defaults (the harness needs no token)."""
    settings = load_settings({})
    assert settings.data_dir == Path("./data") and settings.engine == "tantivy"
    assert settings.ask_cooldown == 10.0 and settings.owner_ids == frozenset()


def test_every_setting_is_read() -> None:
    """Each variable lands in its field, converted."""
    settings = load_settings(
        {
            "DISCORD_TOKEN": TOKEN,
            "STORYBOT_DATA_DIR": "/srv/storybot",
            "STORYBOT_ENGINE": "rank-bm25",
            "STORYBOT_DEV_GUILD": "123456789012345678",
            "STORYBOT_OWNER_IDS": "123456789012345678, 223456789012345678",
            "STORYBOT_ASK_COOLDOWN": "2.5",
            "STORYBOT_MAX_UPLOAD_BYTES": "1000",
            "STORYBOT_LOG_LEVEL": "debug",
        }
    )
    assert settings.require_token() == TOKEN
    assert settings.data_dir == Path("/srv/storybot") and settings.engine == "rank-bm25"
    assert settings.dev_guild == 123456789012345678
    assert settings.owner_ids == {123456789012345678, 223456789012345678}
    assert settings.ask_cooldown == 2.5 and settings.max_upload_bytes == 1000
    assert settings.log_level == "DEBUG"


def test_all_problems_are_reported_together() -> None:
    """Every malformed variable is named in one error."""
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "STORYBOT_ENGINE": "lucene",
                "STORYBOT_DEV_GUILD": "my-server",
                "STORYBOT_OWNER_IDS": "12,abc",
                "STORYBOT_ASK_COOLDOWN": "-1",
                "STORYBOT_MAX_UPLOAD_BYTES": "999999999999",
                "STORYBOT_LOG_LEVEL": "LOUD",
            }
        )
    text = str(caught.value)
    for name in (
        "STORYBOT_ENGINE",
        "STORYBOT_DEV_GUILD",
        "STORYBOT_OWNER_IDS",
        "STORYBOT_ASK_COOLDOWN",
        "STORYBOT_MAX_UPLOAD_BYTES",
        "STORYBOT_LOG_LEVEL",
    ):
        assert name in text
    assert len(caught.value.problems) == 7  # both bad owner ids


def test_missing_token_is_explained() -> None:
    """Running for real without a token says how to provide one."""
    with pytest.raises(SettingsError, match="DISCORD_TOKEN"):
        Settings().require_token()


def test_token_never_appears_in_repr() -> None:
    """repr/str of the settings hide the token."""
    settings = load_settings({"DISCORD_TOKEN": TOKEN})
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
    assert TOKEN not in f"{settings.token}"


def test_dotenv_file_is_read_without_overriding(tmp_path, monkeypatch) -> None:
    """.env fills in unset variables; variables already set win."""
    env_file = tmp_path / ".env"
    env_file.write_text("STORYBOT_ENGINE=rank-bm25\nSTORYBOT_ASK_COOLDOWN=3\n")
    monkeypatch.setenv("STORYBOT_ASK_COOLDOWN", "7")
    monkeypatch.delenv("STORYBOT_ENGINE", raising=False)
    settings = load_settings(dotenv=env_file)
    assert settings.engine == "rank-bm25" and settings.ask_cooldown == 7.0


def test_token_filter_scrubs_log_records(caplog) -> None:
    """A log line that contains the token is rewritten before any handler sees it."""
    logger = logging.getLogger("storybot-test")
    logger.addFilter(TokenFilter(TOKEN))
    with caplog.at_level(logging.INFO, logger="storybot-test"):
        logger.info("connecting with %s", TOKEN)
    assert TOKEN not in caplog.text and "[token]" in caplog.text


def test_discord_token_is_none_when_unset_and_hidden_when_set() -> None:
    """discord_token is None without a token and a Secret (not the raw string) with one."""
    assert load_settings({}).discord_token is None
    wrapped = load_settings({"DISCORD_TOKEN": TOKEN}).discord_token
    assert wrapped is not None and TOKEN not in repr(wrapped) and wrapped.reveal() == TOKEN


def test_env_example_documents_every_setting_and_loads() -> None:
    """.env.example names every variable, each with a comment, and loads cleanly."""
    from dotenv import dotenv_values

    path = Path(__file__).resolve().parents[2] / ".env.example"
    values = dotenv_values(path)
    expected = set(VARIABLES)
    assert set(values) == expected
    load_settings({k: v or "" for k, v in values.items()})
    lines = path.read_text().splitlines()
    for name in expected:
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}="))
        assert lines[index - 1].startswith("#")


def test_opensearch_needs_a_url_and_hides_its_password() -> None:
    """STORYBOT_ENGINE=opensearch needs STORYBOT_OPENSEARCH_URL; a bad URL is named with its
    password masked, and the settings never show the password."""
    with pytest.raises(SettingsError, match="STORYBOT_OPENSEARCH_URL must name"):
        load_settings({"STORYBOT_ENGINE": "opensearch"})
    with pytest.raises(SettingsError) as caught:
        load_settings({"STORYBOT_OPENSEARCH_URL": "ftp://bob:hunter2@search.example"})
    assert "hunter2" not in str(caught.value) and "bob:***@" in str(caught.value)
    url = "https://bob:hunter2@search.example:9200,https://bob:hunter2@search2.example:9200"
    settings = load_settings({"STORYBOT_ENGINE": "opensearch", "STORYBOT_OPENSEARCH_URL": url})
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings)
    assert settings.engine_options() == {"url": url}
    assert load_settings({"STORYBOT_OPENSEARCH_URL": url}).engine_options() == {}


def test_the_semantic_stage_is_turned_off_by_a_setting() -> None:
    """STORYBOT_SEMANTIC=off opens the corpus without vectors; a typo is named, not ignored."""
    assert load_settings({}, dotenv=None).library_options()["semantic"] is True
    off = load_settings({"STORYBOT_SEMANTIC": "off"}, dotenv=None)
    assert off.library_options()["semantic"] is False
    with pytest.raises(SettingsError, match="STORYBOT_SEMANTIC must be on or off"):
        load_settings({"STORYBOT_SEMANTIC": "of"}, dotenv=None)


def test_some_shards_need_the_shared_store_and_index() -> None:
    """STORYBOT_SHARDS runs part of the bot: refused over a local SQLite file and tantivy
    index (the other processes would not see them), accepted with PostgreSQL and OpenSearch."""
    shards = {"STORYBOT_SHARDS": "0-1", "STORYBOT_SHARD_COUNT": "4"}
    with pytest.raises(SettingsError, match="STORYBOT_ENGINE=opensearch"):
        load_settings(shards, dotenv=None)
    shared = load_settings({
        **shards, "STORYBOT_DATABASE_URL": "postgresql://bot@db.example/storybot",
        "STORYBOT_ENGINE": "opensearch", "STORYBOT_OPENSEARCH_URL": "http://search.example:9200",
    }, dotenv=None)
    assert shared.shard_ids == (0, 1) and shared.shard_count == 4
    assert load_settings({"STORYBOT_SHARDS": "0-3", "STORYBOT_SHARD_COUNT": "4"},
                         dotenv=None).shard_count == 4  # all of them: one process, any store
    with pytest.raises(SettingsError, match="must lie within"):
        load_settings({**shards, "STORYBOT_SHARDS": "3-5"}, dotenv=None)
