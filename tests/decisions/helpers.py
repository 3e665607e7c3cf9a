"""Reading PDFs the way a user's tools would (poppler's command-line utilities), and the stored file."""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings


def stored_bytes(decision) -> bytes:
    return (Path(settings.MEDIA_ROOT) / decision.storage_name).read_bytes()


def _run(tool: str, data: bytes, *args: str, env=None) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(data)
        return subprocess.run(
            [tool, *args, str(path), *([] if tool != "pdftotext" else ["-"])],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout


def pdf_text(data: bytes) -> str:
    return _run("pdftotext", data, "-layout")


def pdf_fonts(data: bytes) -> list[dict]:
    """One row per font: name, emb, sub (the columns pdffonts prints)."""
    lines = _run("pdffonts", data).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name ... type ... encoding emb sub uni object-id generation
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdf_info(data: bytes) -> str:
    return _run("pdfinfo", data, "-meta")


def pdf_attachments(data: bytes) -> str:
    return _run("pdfdetach", data, "-list")
