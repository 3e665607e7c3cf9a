"""Backing up and restoring a site: the database, the archive (evidence, decisions) and the audit
checkpoint copies, as one directory (`manage.py site_backup` / `site_restore`, docs/operations.md).

The directory holds `database.dump` (pg_dump's custom format, or a copy of the SQLite file),
`files/<store>/<name>` for every file of the stores, and `manifest.json` with each file's SHA-256.
The order of the copy is what keeps it consistent while the site runs: the checkpoint files first
(each signs a head that was committed before the file was written, so every one of them is covered
by the dump that follows), then the database, then the archive (write-once, so every file the dump
names is already there; files stored after the dump are merely extra).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

FORMAT = "tolerance-backup/1"
# The archive (tolerance.file_store) and the checkpoint copies (tolerance.audit.checkpoints).
STORES = ("checkpoints", "archive")
DUMP = "database.dump"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    files: dict[str, int]
    database_bytes: int


def _names(store, directory: str = ""):
    """Every file name in a storage, walking its directories (S3 has prefixes, disks have folders)."""
    try:
        directories, files = store.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}{name}"
    for child in directories:
        yield from _names(store, f"{directory}{child}/")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_command(program: str, *arguments: str) -> tuple[list[str], dict]:
    db = connection.settings_dict
    command = [program]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    return [*command, *arguments], environment


def _run(command: list[str], environment: dict) -> None:
    try:
        finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from None
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed: {finished.stderr.strip()[-2000:]}")


def _database_dump(target: Path) -> None:
    if connection.vendor == "postgresql":
        command, environment = _postgres_command(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            connection.settings_dict["NAME"],
        )
        _run(command, environment)
    elif connection.vendor == "sqlite":
        # SQLite's online backup: a consistent copy while the site keeps writing.
        with sqlite3.connect(connection.settings_dict["NAME"]) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        raise BackupError(f"No backup procedure for a {connection.vendor} database.")


def _database_restore(dump: Path) -> None:
    if connection.introspection.table_names():
        raise BackupError(
            "The configured database is not empty: restore into a newly created database (see docs/operations.md)."
        )
    if connection.vendor == "postgresql":
        connection.close()
        command, environment = _postgres_command(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        )
        _run(command, environment)
    elif connection.vendor == "sqlite":
        connection.close()
        with sqlite3.connect(dump) as source, sqlite3.connect(connection.settings_dict["NAME"]) as copy:
            source.backup(copy)
    else:
        raise BackupError(f"No restore procedure for a {connection.vendor} database.")


def site_backup(*, directory: Path) -> Summary:
    """Copy the stores and the database into `directory` (which must not exist yet or be empty)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: back up into a new directory.")
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": connection.vendor, "files": {}}

    def copy_store(alias):
        store = storages[alias]
        copied = manifest["files"][alias] = {}
        for name in sorted(_names(store)):
            target = directory / "files" / alias / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with store.open(name, "rb") as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1 << 20)
            copied[name] = _sha256(target)

    copy_store("checkpoints")
    _database_dump(directory / DUMP)
    manifest["database_sha256"] = _sha256(directory / DUMP)
    copy_store("archive")
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return Summary(
        files={alias: len(names) for alias, names in manifest["files"].items()},
        database_bytes=(directory / DUMP).stat().st_size,
    )


def _manifest_read(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{directory / MANIFEST} cannot be read: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{directory} is not a backup of this kind ({manifest.get('format')!r}).")
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(f"The backup is of a {manifest.get('vendor')} database; this site uses {connection.vendor}.")
    return manifest


def site_restore(*, directory: Path) -> Summary:
    """Restore a backup into the configured (new, empty) database and stores. Every file is checked
    against the manifest first, so a damaged backup stops before anything is written."""
    directory = Path(directory)
    manifest = _manifest_read(directory)
    if _sha256(directory / DUMP) != manifest["database_sha256"]:
        raise BackupError(f"{directory / DUMP} does not match the manifest: the backup is damaged.")
    for alias, names in manifest["files"].items():
        for name, digest in names.items():
            path = directory / "files" / alias / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"{path} is missing or does not match the manifest: the backup is damaged.")
    _database_restore(directory / DUMP)
    for alias in STORES:
        store = storages[alias]
        for name in manifest["files"].get(alias, {}):
            if store.exists(name):
                continue
            with (directory / "files" / alias / name).open("rb") as handle:
                store.save(name, File(handle, name=name))
    return Summary(
        files={alias: len(names) for alias, names in manifest["files"].items()},
        database_bytes=(directory / DUMP).stat().st_size,
    )
