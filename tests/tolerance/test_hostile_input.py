"""No input yields a 500: NUL and control characters, huge numbers, failing storage."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

_SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _route(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _route(entry.pattern)


def _route(pattern):
    import re

    text = str(pattern)
    if hasattr(pattern, "_route"):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLES.get(m.group(1) or "str", "1"), text)
    # A regex pattern: drop anchors and fill each group with a sample value.
    text = text.lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
    return re.sub(r"[\\^$?*+]", "", text)


def every_path():
    return sorted({"/" + path for path in _walk(get_resolver().url_patterns)})


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "officer_guet"])
def test_nul_in_path_or_query_of_every_pattern_is_never_a_500(users, file_case, who):
    file_case()
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(users[who])
    failures = []
    for path in every_path():
        for url in (path + "%00", path + "?q=%00&before=%00", path.rstrip("/") + "%00x/"):
            for method in (client.get, client.post):
                response = method(url)
                if response.status_code >= 500:
                    failures.append((method.__name__, url, response.status_code))
    assert not failures


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["path", "query"])
def test_a_nul_byte_is_answered_with_a_chinese_400_page(users, client_for, where):
    client = client_for("officer_guet")
    url = "/cases/%00/" if where == "path" else "/cases/?before=%00"
    response = client.get(url)
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("before", ["9" * 5000, "9" * 30, "-1", "1e9", "²"])
def test_the_paging_parameter_of_every_list_is_bounded(users, file_case, client_for, before):
    file_case()
    client = client_for("officer_guet")
    for url in ("/cases/", "/exemption/queue/", "/exemption/inbox/", "/exemption/archive/", "/exemption/flows/"):
        response = client.get(url, {"before": before})
        assert response.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["9999", "99999999", "9" * 5000, "0", "-5", "x"])
def test_the_admin_date_filter_with_a_huge_year_is_never_a_500(users, client_for, year):
    client = Client(raise_request_exception=False)
    client.force_login(users["admin"])
    for url in ("/admin/audit/auditevent/", "/admin/tolerance/workingdayoverride/"):
        for query in (
            {"occurred_at__year": year},
            {"occurred_at__year": year, "occurred_at__month": "12"},
            {"occurred_at__year": year, "occurred_at__month": "12", "occurred_at__day": "31"},
            {"date__year": year},
            {"date__year": year, "date__month": "12", "date__day": "31"},
            {"date__year": "2026", "date__month": year},
        ):
            response = client.get(url, query)
            assert response.status_code < 500, (url, query)
