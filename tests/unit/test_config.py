"""Configuration from the environment: production refuses to start without a proper key."""
import pytest

from server.config import load_config


def test_production_needs_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("LIANXIN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(str(tmp_path))


def _production(monkeypatch):
    """A production environment that starts: every value it needs set properly."""
    monkeypatch.setenv("LIANXIN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-key-of-at-least-32-bytes!")
    monkeypatch.setenv("WECHAT_MODE", "real")
    monkeypatch.setenv("WECHAT_APP_ID", "wx1234567890abcdef")
    monkeypatch.setenv("WECHAT_APP_SECRET", "a-real-app-secret")


def test_production_refuses_a_short_secret_key(monkeypatch, tmp_path):
    _production(monkeypatch)
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="32 bytes"):
        load_config(str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    assert load_config(str(tmp_path))["SECRET_KEY"] == "k" * 32


def test_development_key_is_long_enough_for_hs256(monkeypatch, tmp_path):
    monkeypatch.delenv("LIANXIN_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert len(load_config(str(tmp_path))["SECRET_KEY"].encode()) >= 32


# issue 10, finding 7: production must fail closed.

@pytest.mark.parametrize("env", ["prod", "Production", "production ", "staging", ""])
def test_an_unknown_environment_name_is_an_error_not_development(monkeypatch, tmp_path, env):
    monkeypatch.setenv("LIANXIN_ENV", env)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="LIANXIN_ENV"):
        load_config(str(tmp_path))


def test_a_proper_production_environment_starts(monkeypatch, tmp_path):
    _production(monkeypatch)
    config = load_config(str(tmp_path))
    assert config["ENV_NAME"] == "production" and config["WECHAT_MODE"] == "real"
    assert config["API_DOCS"] is False


def test_production_refuses_fake_wechat(monkeypatch, tmp_path):
    _production(monkeypatch)
    monkeypatch.setenv("WECHAT_MODE", "fake")
    with pytest.raises(RuntimeError, match="WECHAT_MODE"):
        load_config(str(tmp_path))


def test_production_refuses_the_development_key(monkeypatch, tmp_path):
    from server.config import DEVELOPMENT_SECRET
    _production(monkeypatch)
    monkeypatch.setenv("SECRET_KEY", DEVELOPMENT_SECRET)
    with pytest.raises(RuntimeError, match="development key"):
        load_config(str(tmp_path))


@pytest.mark.parametrize("name", ["WECHAT_APP_ID", "WECHAT_APP_SECRET"])
def test_production_refuses_the_demo_wechat_app(monkeypatch, tmp_path, name):
    _production(monkeypatch)
    monkeypatch.delenv(name)
    with pytest.raises(RuntimeError, match="WECHAT_APP"):
        load_config(str(tmp_path))


def test_unknown_wechat_mode_is_an_error(monkeypatch, tmp_path):
    monkeypatch.delenv("LIANXIN_ENV", raising=False)
    monkeypatch.setenv("WECHAT_MODE", "Real")
    with pytest.raises(RuntimeError, match="WECHAT_MODE"):
        load_config(str(tmp_path))


def test_docs_are_a_setting_on_in_development_off_in_production(monkeypatch, tmp_path):
    monkeypatch.delenv("LIANXIN_ENV", raising=False)
    monkeypatch.delenv("API_DOCS", raising=False)
    assert load_config(str(tmp_path))["API_DOCS"] is True
    _production(monkeypatch)
    assert load_config(str(tmp_path))["API_DOCS"] is False
    monkeypatch.setenv("API_DOCS", "1")
    assert load_config(str(tmp_path))["API_DOCS"] is True
    monkeypatch.setenv("API_DOCS", "maybe")
    with pytest.raises(RuntimeError, match="API_DOCS"):
        load_config(str(tmp_path))


def test_the_console_cookie_is_secure_in_production_unless_the_operator_says_otherwise(
        monkeypatch, tmp_path):
    """Issue 13: the console's session cookie is Secure in production (behind HTTPS); a
    plain-HTTP intranet turns it off on purpose with CONSOLE_COOKIE_SECURE=false."""
    monkeypatch.delenv("CONSOLE_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("LIANXIN_ENV", raising=False)
    assert load_config(str(tmp_path))["CONSOLE_COOKIE_SECURE"] is False
    _production(monkeypatch)
    assert load_config(str(tmp_path))["CONSOLE_COOKIE_SECURE"] is True
    monkeypatch.setenv("CONSOLE_COOKIE_SECURE", "false")
    assert load_config(str(tmp_path))["CONSOLE_COOKIE_SECURE"] is False
