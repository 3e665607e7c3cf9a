import pytest
from django.test import Client

from tolerance.demo import DEMO_USERS, demo_password


@pytest.mark.parametrize("path", ["/", "/cases/", "/cases/1/", "/admin/"])
def test_anonymous_request_goes_to_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith("/admin/login/")


def test_login_page_is_chinese_by_default(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.parametrize("spec", DEMO_USERS, ids=lambda spec: spec.username)
def test_every_demo_user_logs_in_and_sees_a_chinese_home_page(users, spec):
    client = Client()
    response = client.post("/accounts/login/", {"username": spec.username, "password": demo_password()})
    assert response.status_code == 302
    home = client.get("/")
    body = home.content.decode()
    assert home.status_code == 200
    assert "您可以" in body
    assert spec.real_name in body or spec.username in body


def test_header_shows_the_users_institution(client_for):
    body = client_for("officer_guet").get("/").content.decode()
    assert "桂林电子科技大学" in body


def test_language_switch_turns_the_page_english(client_for):
    client = client_for("officer_guet")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
