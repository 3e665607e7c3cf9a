"""Campus sign-on against a real CAS server (django-mama-cas on the live server): the first login links
the listed person's profile, an unknown person is refused in Chinese, logout ends both sessions, and the
login page works without any CAS configured.

The CAS server answers on localhost, the site on 127.0.0.1: two hosts, so two separate session cookies,
as with a real campus server."""

import re

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from tolerance import demo
from tolerance.models import CampusIdentity, CasSignOn

pytestmark = pytest.mark.urls("tests.administration.cas_server")
with_cas_server = pytest.mark.django_db(transaction=True)

CAS_PASSWORD = "campus-secret-42"


@pytest.fixture
def campus(live_server, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    institutions = demo.seed_institutions()
    demo.seed_users(institutions)
    CasSignOn.objects.create(
        institution=institutions["GUET"],
        server_url=f"{live_server.url}/cas/",
        staff_number_attribute="employeeNumber",
        name_attribute="displayName",
    )
    User = get_user_model()
    for username, staff_number, name in [("zhangsan", "G3001", "张三"), ("stranger", "G7777", "路人")]:
        account = User(username=username, first_name=staff_number, last_name=name)
        account.set_password(CAS_PASSWORD)
        account.save()
    return live_server.url.replace("localhost", "127.0.0.1")


def _cas_login(browser, site, username):
    """Start at the site's campus login, sign in on the CAS server's form, follow back to the site."""
    page = browser.get(f"{site}{reverse('campus_login', args=['GUET'])}?next=/cases/")
    assert page.url.startswith(site.replace("127.0.0.1", "localhost") + "/cas/login")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(
        page.url,
        data={"csrfmiddlewaretoken": token, "username": username, "password": CAS_PASSWORD},
        headers={"Referer": page.url},
    )


@with_cas_server
def test_first_login_links_the_profile_logout_ends_both_sessions_and_strangers_are_refused(campus):
    browser = requests.Session()
    landed = _cas_login(browser, campus, "zhangsan")
    assert landed.status_code == 200 and landed.url == f"{campus}/cases/"
    zhang = get_user_model().objects.get(username="researcher_zhang")
    assert CampusIdentity.objects.get(cas_user="zhangsan").user == zhang
    home = browser.get(f"{campus}/")
    assert "张三" in home.text

    # Again: the CAS session is still open, so the CAS server returns at once, and the link is reused.
    again = browser.get(f"{campus}{reverse('campus_login', args=['GUET'])}")
    assert again.url == f"{campus}/" and CampusIdentity.objects.count() == 1

    page = browser.get(f"{campus}/")
    token = browser.cookies.get("csrftoken", domain="127.0.0.1")
    out = browser.post(f"{campus}/accounts/logout/", data={"csrfmiddlewaretoken": token}, headers={"Referer": page.url})
    assert out.url.startswith(f"{campus}/accounts/login/")
    assert browser.get(f"{campus}/cases/").url.startswith(f"{campus}/accounts/login/")
    # The CAS session ended too: the campus login asks for the password again instead of issuing a ticket.
    back = browser.get(f"{campus}{reverse('campus_login', args=['GUET'])}")
    assert "/cas/login" in back.url and 'name="password"' in back.text

    # Someone the campus server knows but GUET does not list: refused in Chinese, no account made.
    refused = _cas_login(requests.Session(), campus, "stranger")
    assert refused.status_code == 403
    assert "尚未在本系统登记" in refused.text and "G7777" in refused.text
    assert CampusIdentity.objects.count() == 1
    assert not get_user_model().objects.filter(profile__staff_number="G7777").exists()


@pytest.mark.django_db
def test_the_login_page_offers_the_campus_login_only_where_configured(client, guet):
    CasSignOn.objects.create(institution=guet, server_url="https://cas.guet.example.cn/cas/")
    page = client.get(reverse("login"))
    assert page.status_code == 200 and reverse("campus_login", args=["GUET"]) in page.content.decode()
    assert reverse("campus_login", args=["GXNU"]) not in page.content.decode()
    assert client.get(reverse("campus_login", args=["GXNU"])).status_code == 404
    CasSignOn.objects.all().delete()
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "/accounts/campus/" not in page.content.decode()
