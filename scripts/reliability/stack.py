"""The stack under test for the reliability scripts: a PostgreSQL of their own (not the test
suite's), a fresh database built through the migrations and loaded with the demo district by the
app's own CLI, and gunicorn with several workers on loopback. Also the HTTP and SQL helpers the
scripts share. Nothing here is imported by the application."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PGPORT = int(os.environ.get("RELIABILITY_PGPORT", "55439"))
PGDATA = os.environ.get("RELIABILITY_PGDATA", f"/tmp/lianxin-pg-{PGPORT}")
PORT = int(os.environ.get("RELIABILITY_PORT", "5077"))
BASE = f"http://127.0.0.1:{PORT}/api/v1"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pg(action: str = "start") -> str:
    """Start (or stop) the harness's own PostgreSQL through scripts/postgres-start.sh."""
    env = {**os.environ, "PGPORT": str(PGPORT), "PGDATA_DIR": PGDATA,
           "PGDATABASE_NAME": "lianxin_harness"}
    args = [str(ROOT / "scripts" / "postgres-start.sh")] + (["stop"] if action == "stop" else [])
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1] if action != "stop" else ""


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def fresh_database(name: str) -> str:
    """Drop and recreate database `name`; return its URL."""
    admin = _with_db(pg("start"), "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _with_db(admin, name)


def app_env(database_url: str, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "WECHAT_MODE": "fake",
           "RATELIMIT_ENABLED": "false", "LOG_LEVEL": "WARNING",
           "SECRET_KEY": "reliability-harness-secret-key-0123456789"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def flask_cli(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "server", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def prepare(name: str, **extra) -> dict:
    """A fresh database through the migrations, with the demo district; the app's env for it."""
    url = fresh_database(name)
    env = app_env(url, **extra)
    log(f"database {name}: migrations")
    flask_cli(env, "db", "upgrade", "heads")
    log(f"database {name}: demo district")
    flask_cli(env, "demo", "load")
    return env


class Server:
    """gunicorn serving server:create_app() on loopback, in its own process group."""

    def __init__(self, env: dict, workers: int = 4, threads: int = 1, port: int = PORT):
        self.env, self.workers, self.threads, self.port = env, workers, threads, port
        self.proc: subprocess.Popen | None = None
        self.command = (f"gunicorn --workers {workers} --threads {threads} --keep-alive 75 "
                        f"--bind 127.0.0.1:{port} 'server:create_app()'")

    def start(self, timeout: float = 60) -> "Server":
        args = [str(BIN / "gunicorn"), "--workers", str(self.workers), "--threads",
                str(self.threads), "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                "--graceful-timeout", "5", "--keep-alive", "75", "server:create_app()"]
        self.log_path = f"/tmp/lianxin-harness-gunicorn-{self.port}.log"
        with open(self.log_path, "a") as logfile:  # the server's warnings, out of the report
            self.proc = subprocess.Popen(args, cwd=ROOT, env=self.env, start_new_session=True,
                                         stdout=logfile, stderr=logfile)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/api/v1/health", timeout=1).ok \
                        and len(self.worker_pids()) == self.workers:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up")

    def worker_pids(self) -> list[int]:
        if self.proc is None or self.proc.poll() is not None:
            return []
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:
            return []

    def kill9_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill9_all(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut would."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


_nonce = iter(range(10**9))


def login(session: requests.Session, openid: str) -> dict:
    """Log in through the fake WeChat; set the bearer token on the session; return the user."""
    code = f"fake:{openid}:{os.getpid()}-{time.time_ns()}-{next(_nonce)}"
    resp = session.post(f"{BASE}/auth/wechat-login", json={"code": code}, timeout=30)
    resp.raise_for_status()
    body = resp.json()
    session.headers["Authorization"] = f"Bearer {body['token']}"
    return body["user"]


def sql(url: str, query: str, params=None) -> list[tuple]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(query, params).fetchall()


def machine() -> dict:
    """Where and when the figures were taken, and how busy the machine was."""
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), "?")
    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "nproc": os.cpu_count(),
            "model": model, "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()]}


def write_json(path: str | None, data: dict) -> None:
    data = {**data, "machine_at_end": machine()}
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if path:
        Path(path).write_text(text + "\n")
    print(text)
