"""TOLERANCE_CACHE_URL=redis://… selects Django's RedisCache, which needs the `redis` client installed."""

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/9"


def redis_listening() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_listening(), reason="no Redis server on 127.0.0.1:6379")
def test_a_redis_cache_url_gives_a_working_cache(tmp_path):
    script = textwrap.dedent(
        """
        import uuid

        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import cache

        print(settings.CACHES["default"]["BACKEND"])
        key = f"tolerance-test-{uuid.uuid4()}"
        cache.set(key, "容错", 30)
        print(cache.get(key))
        cache.delete(key)
        """
    )
    environ = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "TOLERANCE_"))}
    environ.pop("DATABASE_URL", None)
    environ.update(
        DJANGO_SETTINGS_MODULE="tolerance.settings",
        DJANGO_DEBUG="true",
        TOLERANCE_VAR_DIR=str(tmp_path),
        TOLERANCE_CACHE_URL=REDIS_URL,
        PYTHONIOENCODING="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=environ, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["django.core.cache.backends.redis.RedisCache", "容错"]
