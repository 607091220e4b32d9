"""Configuration from the environment: production refuses to start without a proper key."""
import pytest

from server.config import load_config


def test_production_needs_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("LIANXIN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(str(tmp_path))


def test_production_refuses_a_short_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("LIANXIN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="32 bytes"):
        load_config(str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    assert load_config(str(tmp_path))["SECRET_KEY"] == "k" * 32


def test_development_key_is_long_enough_for_hs256(monkeypatch, tmp_path):
    monkeypatch.delenv("LIANXIN_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert len(load_config(str(tmp_path))["SECRET_KEY"].encode()) >= 32
