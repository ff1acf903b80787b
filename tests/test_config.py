from dataclasses import fields

import pytest

from newstrace.config import Settings, load_settings


def test_config_defaults_without_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings() == Settings()


def test_config_file_env_and_overrides_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newstrace.toml").write_text("[newstrace]\njobs = 3\nbatch_size = 8\n")
    monkeypatch.setenv("NEWSTRACE_BATCH_SIZE", "4")
    s = load_settings({"jobs": None, "story_window_days": 2})
    assert (s.jobs, s.batch_size, s.story_window_days) == (3, 4, 2)
    # a partial file overrides only what it sets
    assert s.max_file_bytes == Settings().max_file_bytes


def test_config_unknown_setting_lists_valid_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newstrace.toml").write_text("jbos = 3\n")
    with pytest.raises(ValueError, match=r"unknown setting 'jbos'; valid settings: .*jobs"):
        load_settings()


def test_config_bad_value_names_setting(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSTRACE_JOBS", "many")
    with pytest.raises(ValueError, match="setting 'jobs': cannot use 'many' as int"):
        load_settings()


def test_config_every_setting_has_help():
    assert set(Settings.help()) == {f.name for f in fields(Settings)}
