"""Text the flow stores or sends is written in the site's language, whatever language the actor browses in.

An officer who switched the pages to English must not leave English notices, explanations, decision
content or e-mails behind for everyone else (and the Chinese decision PDF).
"""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from tests.notifications.mail import send_pending_mail
from tests.workflows.conftest import Driver, day_after, has_chinese, run_timers
from tolerance.decisions.models import Decision
from workflows.exemption.investigation import evaluation_confirm
from workflows.models import ExemptionOutcome
from workflows.steps.publicity import publicity_notice_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_driver(client_for, users, policy):
    def english_client_for(username):
        client = client_for(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return Driver(english_client_for, users, policy)


def test_actors_browsing_in_english_leave_chinese_text_behind(english_driver):
    driver = english_driver
    case = driver.file()
    # The pages really are English for these actors.
    page = driver.client_for("officer_guet").get("/")
    assert page.headers.get("Content-Language", "en").startswith("en")

    outcome = driver.to_committee(case)
    evaluation = case.evaluations.get()
    assert has_chinese(evaluation.explanation["summary"]), evaluation.explanation
    assert all(has_chinese(line["verdict"]) for line in evaluation.explanation["lines"])

    driver.through_committee(case, outcome)
    publicity = case.publicities.get()
    assert not publicity.notice_text.startswith("Notice of publicity"), publicity.notice_text
    assert "publicity period" not in publicity.notice_text

    run_timers(day_after(publicity.ends_on))
    send_pending_mail()  # what the earlier steps queued went out meanwhile
    mail.outbox.clear()
    driver.issue(case)
    send_pending_mail()
    content = Decision.objects.get(case=case).content
    assert content["committee_resolution"] and "Committee meeting" not in content["committee_resolution"]
    assert all(not ground["finding"].startswith(("met", "not met")) for ground in content["grounds"]), content
    assert mail.outbox
    for message in mail.outbox:
        assert "on case" not in message.subject and "has been issued" not in message.body, message.body
        assert "Under the policy" not in message.body


def test_services_called_in_english_store_chinese(driver, users):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    driver.investigate(case)
    translation.activate("en")
    evaluation = evaluation_confirm(
        case=case, confirmed_by=users["reviewer_guet"], outcome=ExemptionOutcome.EXEMPT, override_reason=""
    )
    assert has_chinese(evaluation.explanation["summary"])
    translation.activate("en")
    notice = publicity_notice_text(case)
    assert has_chinese(notice.split(case.title)[0]) and "Notice of publicity" not in notice
    assert translation.get_language() == "en"  # the actor's own language is left as it was
