"""Every string our pages show has a Chinese translation.

For each catalog, the sources it covers are copied aside and `makemessages` is run over them with the
committed catalog; any msgid the source uses that the catalog lacks comes out untranslated and fails
the test, naming it. This catches a new `{% translate %}` forgotten in the .po, which a Chinese user
would see in English.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOG = Path("locale/zh_Hans/LC_MESSAGES/django.po")

# catalog directory -> the source trees (relative to ROOT) that it translates
CATALOGS = {
    "tolerance": ["tolerance", "templates/tolerance", "templates/viewflow", "templates/registration"],
    "tolerance/audit": ["tolerance/audit"],
    "tolerance/decisions": ["tolerance/decisions"],
    "workflows": ["workflows"],
    "composition": ["composition"],
}
NOT_OURS = {"tolerance": ["tolerance/audit", "tolerance/decisions", "tolerance/locale_viewflow"]}


def _untranslated(po_file: Path) -> str:
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po_file)], capture_output=True, text=True, check=True
    )
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", str(po_file)], capture_output=True, text=True, check=True)
    return result.stdout + fuzzy.stdout


@pytest.mark.parametrize("catalog_dir", sorted(CATALOGS))
def test_catalog_translates_every_string_the_source_uses(tmp_path, catalog_dir):
    work = tmp_path / "src"
    for tree in CATALOGS[catalog_dir]:
        shutil.copytree(
            ROOT / tree, work / tree, ignore=shutil.ignore_patterns("locale", "locale_viewflow", "__pycache__")
        )
    for excluded in NOT_OURS.get(catalog_dir, []):
        shutil.rmtree(work / excluded, ignore_errors=True)
    # makemessages writes into ./locale; the core's run starts above tolerance/ to include the site templates.
    cwd = work if catalog_dir == "tolerance" else work / catalog_dir
    target = cwd / CATALOG
    target.parent.mkdir(parents=True)
    shutil.copy(ROOT / catalog_dir / CATALOG, target)
    # -P: the copied sources in cwd (tolerance/audit/selectors.py, …) must not shadow the standard library.
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=cwd,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    missing = _untranslated(target)
    assert missing == "", f"untranslated or fuzzy entries in {catalog_dir}/{CATALOG}:\n{missing}"


def _repeats_itself(text: str) -> bool:
    return any(len(text) % parts == 0 and text == text[: len(text) // parts] * parts for parts in (2, 3, 4))


@pytest.mark.parametrize("catalog_dir", sorted(CATALOGS))
def test_no_translation_says_its_text_twice(tmp_path, catalog_dir):
    """A msgstr pasted twice over would show the sentence twice on the page and in decisions."""
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(ROOT / catalog_dir / CATALOG)], check=True)
    with compiled.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    doubled = [msgid for msgid, msgstr in catalog.items() if msgid and _repeats_itself(msgstr)]
    assert doubled == []
