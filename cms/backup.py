"""Backup and restore: one tar archive holding the database (pg_dump custom format, or a
consistent SQLite copy through sqlite3's backup API) and the media files, written atomically.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
MEDIA_MEMBER = "media"


class BackupError(Exception):
    """The backup or restore could not be done; nothing was replaced."""


def _pg_env(conn) -> tuple[list[str], dict]:
    s = conn.settings_dict
    args = ["--dbname", s["NAME"], "--no-password"]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = {**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")}
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(conn, workdir: Path) -> Path:
    if conn.vendor == "sqlite":
        target = workdir / SQLITE_MEMBER
        conn.ensure_connection()
        # sqlite3's online backup copies a consistent snapshot even while others write.
        with sqlite3.connect(target) as dest:
            conn.connection.backup(dest)
        dest.close()
        return target
    if conn.vendor == "postgresql":
        target = workdir / POSTGRES_MEMBER
        args, env = _pg_env(conn)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
        return target
    raise BackupError(f"No backup method for the {conn.vendor} database.")


def backup(output: Path, *, using: str = "default", media_root: Path | None = None) -> Path:
    """Write the archive to `output`; a failure leaves any earlier file there untouched."""
    output = Path(output).resolve()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        workdir = Path(work)
        database = _dump_database(connections[using], workdir)
        partial = workdir / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(database, arcname=database.name)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA_MEMBER)
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        # Same directory, so the rename is atomic: readers see the old file or the whole new one.
        os.replace(partial, output)
    return output


def restore(archive_path: Path, *, using: str = "default", media_root: Path | None = None) -> None:
    """Load an archive into the (empty or disposable) database and put the media files back."""
    conn = connections[using]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="restore-") as work:
        workdir = Path(work)
        with tarfile.open(archive_path, "r") as archive:
            archive.extractall(workdir, filter="data")
        if (workdir / SQLITE_MEMBER).exists():
            if conn.vendor != "sqlite":
                raise BackupError("This archive holds a SQLite database; restore it into SQLite.")
            conn.ensure_connection()
            with sqlite3.connect(workdir / SQLITE_MEMBER) as source:
                source.backup(conn.connection)
            source.close()
        elif (workdir / POSTGRES_MEMBER).exists():
            if conn.vendor != "postgresql":
                raise BackupError(
                    "This archive holds a PostgreSQL dump; restore it into PostgreSQL."
                )
            conn.close()
            args, env = _pg_env(conn)
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--exit-on-error",
                    *args,
                    str(workdir / POSTGRES_MEMBER),
                ],
                env,
            )
        else:
            raise BackupError(f"{archive_path} is not a Partnerbase backup.")
        media = workdir / MEDIA_MEMBER
        if media.is_dir():
            shutil.copytree(media, media_root, dirs_exist_ok=True)
