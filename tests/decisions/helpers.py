"""Reading PDFs the way a user's tools would (poppler's command-line utilities), and the stored file."""

import re
import subprocess
import tempfile
from pathlib import Path

from tolerance.file_store import file_store_read


def stored_bytes(decision, *, english: bool = False) -> bytes:
    sha256 = decision.english_sha256 if english else decision.sha256
    return file_store_read(decision.storage_name_for(sha256))


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


def pdf_words(data: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """(text, x_min, y_min, x_max, y_max) of each word on a page, in points from the top left."""
    html = _run("pdftotext", data, "-bbox", "-f", str(page), "-l", str(page))
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(text, float(x1), float(y1), float(x2), float(y2)) for x1, y1, x2, y2, text in re.findall(pattern, html)]


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


def pdf_signatures(data: bytes) -> str:
    return _run("pdfsig", data)


def pdf_summary(data: bytes) -> str:
    """pdfinfo's own report: version, tagging, pages."""
    return _run("pdfinfo", data)


def pdf_structure(data: bytes) -> str:
    """The structure tree as pdfinfo dumps it, one element per line, indented by depth."""
    return _run("pdfinfo", data, "-struct")
