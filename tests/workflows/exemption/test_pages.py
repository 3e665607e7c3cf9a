"""Page chrome of the flow: the start page's title and the way to the publicity board."""

import pytest
from django.conf import settings
from django.urls import reverse

from workflows.flows import ExemptionFlow

pytestmark = pytest.mark.django_db


def test_the_start_page_is_titled_with_the_translated_task(client_for):
    page = client_for("officer_guet").get(ExemptionFlow.start.reverse("execute")).content.decode()
    assert '<h1 class="vf-card__title">容错免责立案</h1>' in page


def test_the_start_page_title_follows_the_chosen_language(client_for):
    client = client_for("officer_guet")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(ExemptionFlow.start.reverse("execute")).content.decode()
    assert '<h1 class="vf-card__title">File an exemption case</h1>' in page


@pytest.mark.parametrize("username", ["researcher_zhang", "officer_guet", "member1_guet"])
def test_the_menu_links_the_publicity_board_for_members_of_an_institution(client_for, username):
    page = client_for(username).get(reverse("cases:index")).content.decode()
    assert f'href="{reverse("case_actions:publicity_board")}"' in page
    assert "公示公告" in page


def test_the_menu_leaves_the_board_out_for_users_without_an_institution(client_for, users):
    user = users["admin"]
    assert getattr(getattr(user, "profile", None), "institution", None) is None
    page = client_for("admin").get(reverse("cases:index")).content.decode()
    assert reverse("case_actions:publicity_board") not in page


def test_the_publicity_board_carries_the_site_menu(client_for):
    page = client_for("researcher_zhang").get(reverse("case_actions:publicity_board")).content.decode()
    assert "退出登录" in page  # the drawer, with its log-out button
    assert f'href="{reverse("cases:index")}"' in page
