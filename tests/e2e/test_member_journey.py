"""A committee member's journey in a browser: the notice in the header, the declaration, the vote, and back
on the case page."""

import pytest
from django.core.management import call_command

from tests.factories import exemption_case_in_committee
from tolerance import demo

pytestmark = pytest.mark.e2e


@pytest.fixture
def in_committee(demo_users):
    from workflows.exemption.demo import seed_case_type_policies

    seed_case_type_policies(demo.seed_institutions())
    call_command("load_policy", verbosity=0)
    return exemption_case_in_committee(demo_users)


def test_a_member_follows_the_notice_declares_votes_and_is_back_on_the_case(logged_in, live_server, in_committee):
    case = in_committee
    page = logged_in("member1_guet")
    # The bell counts the round's notice; the list leads to the declaration.
    assert page.inner_text(".tol-badge") == "1"
    page.click(".tol-toolbar-bell")
    page.click(f"text=案件 {case.number} 委员会审议")
    page.wait_for_url(f"**/case-actions/{case.pk}/conflict/")
    page.check("input[name=conflicted][value=no]")
    page.click(".tol-card button[type=submit]")
    # No conflict declared: straight on to the vote.
    page.wait_for_url(f"**/case-actions/{case.pk}/vote/")
    page.check("input[name=outcome][value=exempt]")
    page.fill("textarea[name=reason]", "事实清楚，程序完备。")
    page.click(".tol-card button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "投票已记录。" in page.content()
    assert case.number in page.inner_text("body")
