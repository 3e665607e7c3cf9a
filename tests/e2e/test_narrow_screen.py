"""At a phone's width (360 px) the top bar and the pages fit the screen: nothing sticks out sideways."""

import pytest
from django.core.management import call_command

from tests.factories import exemption_case_filed
from tolerance import demo

pytestmark = pytest.mark.e2e

# How far the page, the top bar's contents and its rightmost element reach past the screen's right edge.
OVERFLOW = """() => {
  const bar = document.querySelector('.vf-page__body-toolbar');
  const rights = [...bar.querySelectorAll('*')].filter(e => e.offsetParent !== null)
    .map(e => e.getBoundingClientRect().right);
  return {page: document.documentElement.scrollWidth - window.innerWidth,
          bar: bar.scrollWidth - bar.clientWidth,
          rightmost: Math.round(Math.max(0, ...rights) - window.innerWidth)};
}"""


def seed(users):
    from workflows.exemption.demo import seed_case_type_policies

    seed_case_type_policies(demo.seed_institutions())
    call_command("load_policy", verbosity=0)
    return {"filed": exemption_case_filed(filed_by=users["officer_guet"], subjects=[users["researcher_zhang"]])}


@pytest.mark.parametrize("username", ["officer_guet", "researcher_zhang"])
def test_at_360_pixels_the_top_bar_and_the_pages_fit_the_screen(journey_for, seeded, username):
    journey = journey_for("phone")
    page = journey.login(username)
    for path in ("/", "/cases/", f"/cases/{seeded.filed.pk}/", "/notifications/"):
        journey.goto(path)
        overflow = page.evaluate(OVERFLOW)
        assert max(overflow.values()) <= 0, (path, overflow)
