"""App servers as a deployment runs them: gunicorn processes with production settings (DEBUG off), each
with a local directory of its own, all on the test's PostgreSQL database and the local S3 server."""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

from tests.object_store import free_port, object_storage_environment

ROOT = Path(__file__).resolve().parents[2]


def database_url(name: str | None = None) -> str:
    """The URL of the database this test runs on (pytest's test_… database), or of another on its server."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


def manage(environment: dict, *arguments) -> subprocess.CompletedProcess:
    """A management command run to its end in a server's environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def server_environment(
    var_dir: Path, *, endpoint: str | None = None, bucket: str | None = None, database: str | None = None
) -> dict:
    """Without a bucket the files are on the local disk under var_dir."""
    # Nothing of the test process's own configuration leaks in (an unknown TOLERANCE_* variable stops Django).
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "TOLERANCE_", "DATABASE_", "PYTEST"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="tolerance.settings",
        # The test process's key: the sessions it opens for the demo users are valid on every server.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback (behind nginx the cookies are Secure).
        DJANGO_SECURE_COOKIES="false",
        DATABASE_URL=database_url(database),
        TOLERANCE_VAR_DIR=str(var_dir),
        TOLERANCE_KEY_DIR=str(settings.KEY_DIR),
        TOLERANCE_SIGNING_PASSPHRASE=settings.SIGNING_PASSPHRASE,
    )
    if bucket:
        environment.update(object_storage_environment(endpoint, bucket))
    return environment


class AppServer:
    def __init__(self, name: str, var_dir: Path, environment: dict):
        self.name = name
        self.var_dir = var_dir
        self.environment = environment
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tolerance.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "1", "--log-level", "warning"],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=open(self.var_dir / "server.log", "wb"),  # noqa: SIM115 — the process keeps it open
        )
        return self

    def wait_ready(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {(self.var_dir / 'server.log').read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/accounts/login/", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s")

    def manage(self, *arguments) -> subprocess.Popen:
        """A management command in this server's environment (e.g. its scheduler), started in the background."""
        return subprocess.Popen(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
