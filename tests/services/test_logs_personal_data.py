"""Finding 20: no personal data in logs or stored errors. A database error whose statement
carries a phone and an address leaves neither in the app log (caplog), in job_runs.error or in
the exception text; the access log rounds query coordinates to about 1 km."""
import importlib.util
import logging
import pathlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import IntegrityError

from jobs.registry import JOBS, Every, JobSpec
from jobs.runner import run_job
from server.extensions import db as database
from server.identity.models import User
from server.logsafe import coarse_query
from server.scheduling.models import JobRun

NAME, PHONE, ADDRESS = "欧阳日志", "13700001234", "隐私路77号5单元"


def _leak(now):
    """A statement that fails (no openid) with a name, phone and address among its values."""
    database.session.add(User(openid=None, name=NAME, phone=PHONE, address=ADDRESS))
    database.session.flush()


@pytest.fixture(autouse=True)
def _loggers_on(monkeypatch):
    # The migrations' logging.config.fileConfig (run by the app fixture) disables loggers that
    # existed before it; these tests read what the app's loggers write.
    for name in ("jobs", "server.errors"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)


def _clean(text: str) -> bool:
    return all(value not in text for value in (PHONE, ADDRESS, NAME))


def test_the_engine_hides_statement_parameters(db):
    with pytest.raises(IntegrityError) as caught:
        _leak(None)
    assert "parameters hidden" in str(caught.value)
    assert PHONE not in str(caught.value).split("DETAIL")[0]  # the driver's DETAIL: see below


def test_a_failed_job_logs_and_stores_no_personal_data(app, db, caplog, monkeypatch):
    monkeypatch.setitem(JOBS, "leak", JobSpec("leak", _leak, Every(60), "test: a failing job"))
    caplog.set_level(logging.INFO)
    assert run_job(app, "leak", holder="test", reraise=False) is None
    row = database.session.execute(database.select(JobRun).filter_by(job="leak")).scalar_one()
    assert row.ok is False and row.error.startswith("IntegrityError (")
    assert _clean(row.error), row.error
    assert "job leak failed" in caplog.text and "Traceback" in caplog.text
    assert _clean(caplog.text), caplog.text


def test_a_database_error_logged_anywhere_is_redacted(db, caplog):
    log = logging.getLogger("server.errors")
    with pytest.raises(IntegrityError) as caught:
        _leak(None)
    database.session.rollback()
    log.warning("database unavailable: %s", caught.value)
    try:
        raise RuntimeError("while serving") from caught.value
    except RuntimeError:
        log.exception("unhandled error")
    assert "database unavailable: IntegrityError" in caplog.text
    assert _clean(caplog.text), caplog.text


def _gunicorn_logger():
    path = pathlib.Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from gunicorn.config import Config
    return module.CoarseAccessLogger(Config())


def test_the_access_log_holds_no_exact_coordinates():
    logger = _gunicorn_logger()
    environ = {"REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/api/v1/wishes",
               "RAW_URI": "/api/v1/wishes?lat=30.296812&lng=120.152347&radius_m=500",
               "QUERY_STRING": "lat=30.296812&lng=120.152347&radius_m=500",
               "REMOTE_ADDR": "10.0.0.1"}
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    assert atoms["r"] == "GET /api/v1/wishes?lat=30.30&lng=120.15&radius_m=500 HTTP/1.1"
    assert atoms["q"] == "lat=30.30&lng=120.15&radius_m=500"
    assert "296812" not in str(atoms) and "152347" not in str(atoms)


@pytest.mark.parametrize("query,expected", [
    ("", ""), ("page=2", "page=2"), ("lat=abc&lng=1e999", "lat=*&lng=*"),
    ("LAT=30.123456", "LAT=30.12"), ("latitude=-30.126&longitude=120.5", "latitude=-30.13&longitude=120.50"),
])
def test_coarse_query(query, expected):
    assert coarse_query(query) == expected
