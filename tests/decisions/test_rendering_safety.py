"""Case text can never make the renderer read a file or call an address, and always prints literally."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.decisions.helpers import pdf_fonts, pdf_text, stored_bytes
from tolerance.decisions import assets

pytestmark = pytest.mark.django_db

HOSTILE_FACTS = (
    '当事人提交的材料中含有 <img src="file:///etc/passwd"> 字样。\n\n'
    '另见 <a href="http://127.0.0.1:8000/admin/">内部链接</a> 与 <link rel="stylesheet" href="http://127.0.0.1:9/x.css">。'
)


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the renderer asks for, whether served or refused."""
    urls = []
    original = assets.AssetFetcher.fetch

    def recording(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(assets.AssetFetcher, "fetch", recording)
    return urls


def test_markup_in_case_text_is_printed_literally_and_fetches_nothing(exemption_case, issue, fetched):
    decision = issue(exemption_case, facts=HOSTILE_FACTS, reasoning='理由中引用 <img src="http://127.0.0.1:1/x.png">。')

    text = pdf_text(stored_bytes(decision)).replace("\n", " ")
    assert '<img src="file:///etc/passwd">' in text
    assert 'href="http://127.0.0.1:8000/admin/"' in text
    assert '<img src="http://127.0.0.1:1/x.png">' in text
    assert fetched, "the stylesheet and fonts should have been fetched"
    assert all(url.startswith(assets.ASSET_BASE_URL) for url in fetched)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/",
        "https://example.com/font.otf",
        "data:text/css,body{}",
        assets.ASSET_BASE_URL + "../../etc/passwd",
        assets.ASSET_BASE_URL + "fonts/other.otf",
    ],
)
def test_the_fetcher_refuses_everything_but_its_assets(url):
    fetcher = assets.AssetFetcher()
    with pytest.raises(assets.AssetRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_chinese_renders_with_no_chinese_font_installed(tmp_path):
    """The fonts come with the project's Python packages: a fontconfig that knows no font still works."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{tmp_path / 'no-fonts'}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "tolerance.settings_test"}
    assert subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True).stdout.strip() == ""
    output = tmp_path / "out.pdf"
    script = (
        "import django, sys; django.setup()\n"
        "from tolerance.decisions.assets import asset_url\n"
        "from tolerance.decisions.rendering import render_document\n"
        "links = ''.join(f'<link rel=\"stylesheet\" href=\"{asset_url(name)}\">' for name in ('fonts.css', 'decision.css'))\n"
        "html = f'<html><head>{links}</head><body><h1>容错免责认定决定书</h1><p>经查明，桂林电子科技大学。</p>'\n"
        "html += '<div id=\"seal-anchor\"></div></body></html>'\n"
        "open(sys.argv[1], 'wb').write(render_document(html, embedded=[]).pdf)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(output)], env=env, cwd=settings.BASE_DIR, check=True, capture_output=True
    )

    data = output.read_bytes()
    assert "容错免责认定决定书" in pdf_text(data)
    assert "桂林电子科技大学" in pdf_text(data)
    fonts = pdf_fonts(data)
    assert fonts and all(font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes" for font in fonts)
    assert {font["name"].split("+", 1)[1] for font in fonts} <= {"Tolerance-Serif", "Tolerance-Sans"}
    assert Path(output).stat().st_size < 300_000
