"""Page images of every decision template, Chinese and English, as issued: `make decision-images`.

Not collected with the tests (no test_ prefix); run by name, it rewrites docs/decisions/ with PNG pages
at low resolution and the README that lists them.
"""

import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests.decisions.helpers import stored_bytes

pytestmark = pytest.mark.django_db

OUTPUT = Path(settings.BASE_DIR) / "docs" / "decisions"
RESOLUTION = "50"
# A 32-colour palette keeps a page near 25 KB and still shows the red masthead and seal.
COLOURS = 32
KINDS = {"exemption": "exempt", "rectification": "passed", "licence": "granted"}
LANGUAGES = {"zh": False, "en": True}


def _pages(data: bytes, stem: str) -> list[str]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "decision.pdf"
        path.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", RESOLUTION, "-png", str(path), str(OUTPUT / stem)], check=True)
    images = sorted(OUTPUT.glob(f"{stem}-*.png"))
    for image in images:
        Image.open(image).quantize(COLOURS).save(image, optimize=True)
    return [image.name for image in images]


def test_write_page_images(issue, request):
    for old in OUTPUT.glob("*.png"):
        old.unlink()
    lines = [
        "# Decision documents, page by page",
        "",
        f"Every template as issued (sealed), from the sample content in tests/decisions/samples.py, at {RESOLUTION} dpi.",
        "Regenerate with `make decision-images` after changing a template or decision.css.",
        "",
    ]
    for kind, outcome in KINDS.items():
        decision = issue(request.getfixturevalue(f"{kind}_case"), kind, outcome)
        for language, english in LANGUAGES.items():
            images = _pages(stored_bytes(decision, english=english), f"{kind}-{language}")
            links = ", ".join(f"[page {number}]({name})" for number, name in enumerate(images, start=1))
            lines.append(f"- {kind} ({outcome}), {language}: {links}")
    (OUTPUT / "README.md").write_text("\n".join(lines) + "\n")
