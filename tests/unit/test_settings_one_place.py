"""Settings in one place (issue 11, item 5): every setting is a field of server.config.Settings,
read through settings(); no call site reads os.environ or names its own default; the README's
Configuration table lists every setting."""
import dataclasses
import re
from pathlib import Path

import pytest

from server.config import Settings, settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("server", "jobs", "miniapp_api", "console")
ENVIRON = re.compile(r"\bos\.(environ|getenv)\b")
# setting("X", 5), config.get("X", 5): a default written at the call site.
CALL_DEFAULT = re.compile(r"\b(setting|config\.get)\(\s*[^()]*,")


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _offending(pattern, allowed=()):
    return [f"{name}:{number}: {line.strip()}"
            for name, text in _sources() if name not in allowed
            for number, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def test_only_config_reads_the_environment():
    assert _offending(ENVIRON, allowed={"server/config.py"}) == []


def test_no_call_site_names_a_default():
    assert _offending(CALL_DEFAULT) == []


def _configuration_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_readme_lists_every_setting():
    section = _configuration_section()
    config_py = (ROOT / "server" / "config.py").read_text(encoding="utf-8")
    names = {spec.name.upper() for spec in dataclasses.fields(Settings)
             if spec.name not in ("job_schedules", "wechat_templates")}
    names |= set(re.findall(r'(?:environ\.get|_flag)\(\s*"([A-Z_]+)"', config_py))
    names |= {"JOBS_<JOB>_SECONDS", "JOBS_<JOB>_CRON", "WECHAT_TEMPLATE_<KIND>"}
    assert sorted(name for name in names if f"`{name}`" not in section) == []


def test_app_config_wins_over_the_environment_and_a_deleted_key_falls_back(app, monkeypatch):
    monkeypatch.setenv("OUTBOX_BATCH", "7")
    assert Settings.build({}, {"OUTBOX_BATCH": "7"}).outbox_batch == 7
    with app.app_context():
        app.config["OUTBOX_BATCH"] = 3
        try:
            assert settings().outbox_batch == 3
        finally:
            del app.config["OUTBOX_BATCH"]
        assert settings().outbox_batch == 7


def test_values_are_typed_and_a_bad_one_is_refused():
    built = Settings.build({}, {"MATCHING_DAYS": "3", "PUBLIC_CACHE_S": "0.5",
                                "RATELIMIT_ENABLED": "off",
                                "WECHAT_TEMPLATE_ORDER_DONE": "tmpl-x",
                                "JOBS_OUTBOX_SECONDS": "5"})
    assert (built.matching_days, built.public_cache_s, built.ratelimit_enabled) == (3, 0.5, False)
    assert built.wechat_templates == {"WECHAT_TEMPLATE_ORDER_DONE": "tmpl-x"}
    assert built.job_schedules["JOBS_OUTBOX_SECONDS"] == "5"
    with pytest.raises(RuntimeError, match="MATCHING_DAYS"):
        Settings.build({}, {"MATCHING_DAYS": "a week"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.matching_days = 9


def test_a_template_id_is_overridden_by_its_setting(app):
    from server.notifications.services import TEMPLATES, template_for
    with app.app_context():
        assert template_for("order_done")[0] == TEMPLATES["order_done"][0]
        app.config["WECHAT_TEMPLATE_ORDER_DONE"] = "tmpl-operator-own"
        try:
            assert template_for("order_done")[0] == "tmpl-operator-own"
        finally:
            del app.config["WECHAT_TEMPLATE_ORDER_DONE"]
