"""Configuration comes from the environment and a mistake stops start-up with a message naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tolerance import env

PROJECT_DIR = Path(__file__).resolve().parents[2]


def manage_check(tmp_path, **variables):
    """`manage.py check` in a fresh process, with only the given project variables set."""
    environ = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "TOLERANCE_"))}
    environ.pop("DATABASE_URL", None)
    environ.update(DJANGO_SETTINGS_MODULE="tolerance.settings", DJANGO_DEBUG="true", TOLERANCE_VAR_DIR=str(tmp_path))
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def last_line(result):
    return result.stderr.strip().splitlines()[-1]


def test_the_default_configuration_passes_the_checks(tmp_path):
    result = manage_check(tmp_path)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres//127.0.0.1/tolerance", "DATABASE_URL is malformed"),
        ("postgres://tolerance:s3cret@127.0.0.1:port/tolerance", "DATABASE_URL is malformed"),
        ("mysql://root@127.0.0.1/tolerance", "DATABASE_URL must be a sqlite:// or postgres:// URL"),
        ("postgres://127.0.0.1", "DATABASE_URL names no PostgreSQL database"),
    ],
    ids=["no-scheme-separator", "bad-port", "unsupported-engine", "no-database-name"],
)
def test_a_malformed_database_url_stops_start_up_clearly(tmp_path, url, expected):
    result = manage_check(tmp_path, DATABASE_URL=url)

    assert result.returncode != 0
    assert last_line(result).startswith("django.core.exceptions.ImproperlyConfigured: " + expected)
    assert "s3cret" not in result.stderr


def test_an_unknown_project_variable_stops_start_up_clearly(tmp_path):
    result = manage_check(tmp_path, TOLERANCE_PUBLICITY_DAYS="5", DJANGO_DEBUGG="true")

    assert result.returncode != 0
    assert "Unknown setting(s) in the environment: DJANGO_DEBUGG, TOLERANCE_PUBLICITY_DAYS." in last_line(result)


@pytest.mark.parametrize(
    ("name", "value", "reader", "expected"),
    [
        ("DJANGO_DEBUG", "maybe", lambda: env.get_bool("DJANGO_DEBUG"), "DJANGO_DEBUG must be true or false"),
        (
            "TOLERANCE_ATTACHMENT_MAX_BYTES",
            "20MB",
            lambda: env.get_int("TOLERANCE_ATTACHMENT_MAX_BYTES", 1),
            "must be a whole number",
        ),
        (
            "TOLERANCE_ATTACHMENT_MAX_BYTES",
            "0",
            lambda: env.get_int("TOLERANCE_ATTACHMENT_MAX_BYTES", 1, minimum=1),
            "must be at least 1",
        ),
    ],
    ids=["bool", "int", "minimum"],
)
def test_a_malformed_value_names_its_variable(monkeypatch, name, value, reader, expected):
    monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=expected):
        reader()


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage_check(tmp_path, DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in last_line(result)


def test_sqlite_gets_immediate_transactions_and_wal(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.get_database(tmp_path / "db.sqlite3")

    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_the_readme_documents_every_variable():
    readme = (PROJECT_DIR / "README.md").read_text()

    assert [name for name in sorted(env.KNOWN_VARIABLES) if f"`{name}`" not in readme] == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtps://notify%40guet.edu.cn:p%40ss@mail.guet.edu.cn",
            {
                "EMAIL_HOST": "mail.guet.edu.cn",
                "EMAIL_PORT": 465,
                "EMAIL_USE_SSL": True,
                "EMAIL_HOST_USER": "notify@guet.edu.cn",
                "EMAIL_HOST_PASSWORD": "p@ss",
            },
        ),
        ("smtp+tls://mail.guet.edu.cn", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}),
    ],
)
def test_mail_is_configured_from_one_url(monkeypatch, url, expected):
    monkeypatch.setenv("DJANGO_EMAIL_URL", url)

    settings = env.get_email("DJANGO_EMAIL_URL", "console://")

    assert expected.items() <= settings.items()


def test_a_malformed_mail_url_names_the_variable_without_its_password(monkeypatch):
    monkeypatch.setenv("DJANGO_EMAIL_URL", "imap://user:hunter2@mail.example.cn")

    with pytest.raises(ImproperlyConfigured, match="DJANGO_EMAIL_URL must be") as error:
        env.get_email("DJANGO_EMAIL_URL", "console://")
    assert "hunter2" not in str(error.value)


def test_the_replica_url_is_optional_and_parsed_like_the_primary(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert env.get_database(None, name="DATABASE_REPLICA_URL") is None

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader:secret@10.0.0.6:5432/tolerance")
    replica = env.get_database(None, name="DATABASE_REPLICA_URL")
    assert (replica["HOST"], replica["NAME"], replica["ENGINE"]) == (
        "10.0.0.6",
        "tolerance",
        "tolerance.audit.backends.postgresql",
    )

    monkeypatch.setenv("DATABASE_REPLICA_URL", "mysql://x/y")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URL must be"):
        env.get_database(None, name="DATABASE_REPLICA_URL")
