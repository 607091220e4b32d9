"""Shared fixtures: one app per test session on a real database (SQLite file by default, or
PostgreSQL when DATABASE_URL is set), built through the Alembic migrations, emptied before each
test that uses it."""
import itertools
import os
import tempfile

import pytest
from sqlalchemy import inspect, text

_TMP = tempfile.mkdtemp(prefix="lianxin-test-")
TEST_SECRET = "test-secret-key-long-enough-for-hs256"
TEST_DB_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{_TMP}/test.sqlite3"


@pytest.fixture(scope="session")
def app():
    os.environ["DATABASE_URL"] = TEST_DB_URL
    os.environ.setdefault("WECHAT_MODE", "fake")
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    # Rate limits are off for the suite (it logs in hundreds of times from one address);
    # tests/reliability/test_rate_limits.py turns them on in an app of its own. So is the
    # public pages' micro-cache: tests read the wall right after changing it.
    application = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                              "RATELIMIT_ENABLED": False, "PUBLIC_CACHE_S": 0})
    with application.app_context():
        _drop_everything(db)
        upgrade(revision="heads")  # feature branches of the migration tree may be unmerged
    yield application


def _drop_everything(db):
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _empty_tables(db):
    existing = set(inspect(db.engine).get_table_names())
    tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name in existing]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def db(app):
    """The database, emptied, inside an app context."""
    from server.extensions import db as database
    with app.app_context():
        database.session.remove()
        _empty_tables(database)
        app.extensions.pop("lianxin_wechat", None)
        yield database
        database.session.rollback()
        database.session.remove()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def world(db):
    """A small org tree, skills, units and users of every role, committed."""
    from tests.factories import build_world
    w = build_world()
    db.session.commit()
    return w


_nonce = itertools.count()


@pytest.fixture
def login(client):
    """login(openid) -> headers with a fresh bearer token, through the real login endpoint."""
    def _login(openid: str) -> dict:
        resp = client.post("/api/v1/auth/wechat-login",
                           json={"code": f"fake:{openid}:{next(_nonce)}"})
        assert resp.status_code == 200, resp.get_json()
        return {"Authorization": f"Bearer {resp.get_json()['token']}"}
    return _login
