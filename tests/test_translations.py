"""Every string our pages show has a Chinese translation.

For each catalog, the sources it covers are copied aside and `makemessages` is run over them with the
committed catalog; any msgid the source uses that the catalog lacks comes out untranslated and fails
the test, naming it. This catches a new `{% translate %}` forgotten in the .po, which a Chinese user
would see in English.
"""

import gettext
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.workflows.conftest import policy  # noqa: F401 — the tolerance lists, for a real case

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


# ---- Rendered pages: no English left on a Chinese page, for every role -------------------------------

# English that legitimately appears on a Chinese page: names of formats and standards, codes.
_ALLOWED_ENGLISH = {"SHA-256", "CSV", "XLSX", "JSON", "PDF", "English", "PAdES", "Material", "Tolerance"}


class _VisibleText(HTMLParser):
    """The text a reader sees (and hears: titles, labels, placeholders), without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_phrases(html: str) -> set[str]:
    """Runs of two or more English words: an untranslated sentence or label, not a code or a name."""
    parser = _VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    found = set()
    for match in re.finditer(r"[A-Za-z][a-z]+(?:[ ,'][A-Za-z][a-z]+)+", text):
        phrase = match.group(0)
        if not set(phrase.replace(",", " ").split()) <= _ALLOWED_ENGLISH:
            found.add(phrase)
    return found


ROLE_PAGES = {
    "officer_guet": [
        "/",
        "/cases/",
        "/notifications/",
        "/notifications/settings/",
        "/accounts/password_change/",
        "/exemption/inbox/",
        "/exemption/queue/",
        "/exemption/archive/",
        "CASE",
        "PROCESS",
    ],
    "chair_guet": ["/", "/cases/", "/exemption/queue/", "CASE"],
    "member1_guet": ["/", "/cases/", "CASE"],
    "researcher_zhang": ["/", "/cases/", "/notifications/", "CASE"],
    "supervisor_city": ["/", "/cases/"],
    "hr_guet": ["/", "/notifications/"],
    "admin": ["/", "/cases/", "CASE", "PROCESS"],
}


@pytest.mark.django_db
@pytest.mark.usefixtures("policy")
@pytest.mark.parametrize("username", sorted(ROLE_PAGES))
def test_no_english_on_the_chinese_pages_of_each_role(username, users, client_for, monkeypatch):
    from tests.factories import exemption_case_filed
    from tests.sample_case_type.case_type import CODE
    from tolerance import case_types

    # The test-only sample type speaks English on purpose; the real site has no such type.
    monkeypatch.setattr(case_types, "_registry", {k: v for k, v in case_types._registry.items() if k != CODE})

    case = exemption_case_filed(filed_by=users["officer_guet"], subjects=[users["researcher_zhang"]])
    client = client_for(username)
    leaks = {}
    for page in ROLE_PAGES[username]:
        url = {"CASE": f"/cases/{case.pk}/", "PROCESS": f"/exemption/{case.process_id}/"}.get(page, page)
        response = client.get(url)
        assert response.status_code == 200, url
        if found := english_phrases(response.content.decode()):
            leaks[url] = sorted(found)
    assert leaks == {}, leaks


def test_password_reset_is_the_sites_own_page_in_chinese(client):
    page = client.get("/accounts/password_reset/").content.decode()
    assert "Django" not in page and "忘记" in page and "tolerance/site.css" in page
    assert english_phrases(page) == set()
