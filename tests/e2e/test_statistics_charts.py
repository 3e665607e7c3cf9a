"""The statistics charts render in chromium under the site's CSP: server-drawn SVG, no inline script, and
no style attribute the browser would have to allow (the journey fails on any console error or CSP violation)."""

import pytest

from tests.factories import CaseFactory
from tolerance.services.cases import case_stage_set

pytestmark = pytest.mark.e2e


def seed(users):
    officer = users["officer_guet"]
    for stage in ("investigation", "committee_review", "investigation"):
        case = CaseFactory(institution=officer.profile.institution, filed_by=officer)
        case_stage_set(case=case, stage=stage)
    return {}


def test_charts_render_under_the_csp_with_no_inline_script(journey, seeded):
    # The institution's officer: a supervisor sees these small counts masked ("<3", drawn as no bar).
    page = journey.login("officer_guet")
    response = page.goto(journey.url("/statistics/"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    chart = page.locator("#table-by_stage svg.chart")
    chart.wait_for()
    bars = chart.locator("rect.chart-bar")
    assert bars.count() == 2
    # Drawn: each bar has a width on screen and takes its colour from the stylesheet.
    assert all(bars.nth(index).bounding_box()["width"] > 0 for index in range(bars.count()))
    assert page.evaluate("getComputedStyle(document.querySelector('rect.chart-bar')).fill") == "rgb(63, 111, 181)"
    # Its numbers stand in the table beside it.
    assert "2" in page.locator('#table-by_stage table[data-table="by_stage"]').inner_text()
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert page.evaluate("document.querySelectorAll('.tol-statistics [style]').length") == 0
