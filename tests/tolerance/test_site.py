"""The site shell: login, the language switch, the security headers, and that nothing is open anonymously.

The home page and its menu are the composition's: tests/composition/test_site.py."""

import re
import uuid

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# Viewflow's own strings on every page; each must come out translated when the page is Chinese.
VIEWFLOW_CHROME = ["Log out", "Applications"]
# The publicity notices addressed to society (F16: 社会公开) are public by design.
PUBLIC_PREFIXES = ("/accounts/", "/admin/login/", "/i18n/", "/jsi18n/", "/verify/", "/case-actions/publicity/public/")
_CONVERTER_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


def _route_paths(patterns, prefix=""):
    """(path, view) for every route-style URL, parameters filled with plausible values."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # regex routes belong to the admin, which has its own login (tested below)
        route = re.sub(
            r"<(?:(\w+):)?\w+>", lambda match: _CONVERTER_VALUES.get(match.group(1) or "str", "x"), str(pattern.pattern)
        )
        if isinstance(pattern, URLResolver):
            yield from _route_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route, pattern.callback


def site_paths():
    return sorted({path: view for path, view in _route_paths(get_resolver().url_patterns)}.items())


def visible_text(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_page_sends_an_anonymous_visitor_to_the_login_page(db):
    client = Client()
    checked = 0
    for path, view in site_paths():
        if not getattr(view, "login_required", True):
            assert path.startswith(PUBLIC_PREFIXES), f"{path} is open to anonymous visitors"
            continue
        response = client.get(path)
        # The admin's index redirects to the admin's own login page, which is fine too.
        logins = (
            ("/accounts/login/?next=", "/admin/login/?next=")
            if path.startswith("/admin/")
            else ("/accounts/login/?next=",)
        )
        assert response.status_code == 302, path
        assert response["Location"].startswith(logins), path
        checked += 1
    assert checked > 10


def test_the_login_page_is_chinese_with_a_language_switch(db):
    response = Client().get("/accounts/login/")
    body = response.content.decode()

    assert response.status_code == 200
    assert 'lang="zh-hans"' in body
    assert 'name="language"' in body
    text = visible_text(response)
    assert "容错案件管理系统" in text and "登录" in text
    assert "Viewflow" not in text and "Django Material" not in body


def test_the_login_page_switches_to_english(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")

    assert 'lang="en"' in response.content.decode()
    assert "Tolerance Case Management" in visible_text(response)


def test_a_wrong_password_is_refused_in_chinese(users):
    response = Client().post("/accounts/login/", {"username": "officer_guet", "password": "wrong"})

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def _pages_reachable_from_home(client, case):
    """The home page, the case pages and every page one or two menu clicks away: {path: response}."""
    seen, frontier = set(), ["/", "/cases/", f"/cases/{case.pk}/"]
    pages = {}
    for _depth in range(3):
        following = []
        for path in frontier:
            if path in seen or any(
                part in path for part in ("/admin/", "/static/", "/accounts/logout", "/attachments/", "/i18n/")
            ):
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages[path] = response
            following += re.findall(r'href="(/[^"?#]*)"', response.content.decode())
        frontier = following
    return pages


def _assert_no_inline_script(path, response):
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path
    assert not re.search(r"\son[a-z]+=\"", body), path


def test_every_page_is_chinese_with_a_language_switch_no_inline_script_and_switches_to_english(client_for, file_case):
    """One walk through the officer's pages (fetching them is the cost), each page checked for all of it."""
    case = file_case()
    client = client_for("officer_guet")
    pages = _pages_reachable_from_home(client, case)
    assert len(pages) >= 3

    _assert_no_inline_script("/accounts/login/", Client().get("/accounts/login/"))
    for path, response in pages.items():
        body = response.content.decode()
        assert 'name="language"' in body, path
        assert 'lang="zh-hans"' in body, path
        text = visible_text(response)
        assert "退出登录" in text, path
        for english in VIEWFLOW_CHROME:
            assert english not in text, (path, english)
        _assert_no_inline_script(path, response)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for path in pages:
        response = client.get(path)
        assert 'lang="en"' in response.content.decode(), path
    assert "What you can do" in visible_text(client.get("/"))
    assert "Case number" in visible_text(client.get(f"/cases/{case.pk}/"))


def test_an_english_browser_still_gets_chinese_until_the_user_switches(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert 'lang="zh-hans"' in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert 'lang="en"' in client.get("/accounts/login/").content.decode()
