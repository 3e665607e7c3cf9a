"""Every rectification page × every demo role, on a GUET case and a GXNU one: a case the user may not see is
404, a user who may see it but not act is 403, nothing 500s; a department contact sees only the cases and the
items their department was asked about."""

import pytest
from django.urls import reverse

from tests.workflows.conftest import pdf
from tolerance.models import Case
from workflows.rectification import demo
from workflows.steps.referrals import Referral

pytestmark = pytest.mark.django_db

ROLES = [
    "officer_guet",
    "reviewer_guet",
    "chair_guet",
    "member1_guet",
    "researcher_zhang",
    "researcher_li",
    "licensee_demo",
    "hr_guet",
    "research_guet",
    "discipline_guet",
    "assets_guet",
    "finance_guet",
    "officer_gxnu",
    "researcher_gxnu",
    "hr_gxnu",
    "supervisor_city",
    "admin",
]


@pytest.fixture
def two_cases(institutions, users, catalogues):
    """A GUET case with a G01 item (verified by 人事处) under way, and a GXNU one in verification."""
    guet = demo.file_case(institutions["GUET"], users, demo.STAFF["GUET"], "张三在职创办企业未经审批", 0)
    demo.drive(guet, users, demo.STAFF["GUET"], ["G01"], "rectifying")
    gxnu = demo.file_case(institutions["GXNU"], users, demo.STAFF["GXNU"], "韦五兼职未审批", 1)
    demo.drive(gxnu, users, demo.STAFF["GXNU"], [], "verification")
    # A referral to 纪委办 put in place directly (its making is test_documents'): its page is under test here.
    notice = guet.decisions.order_by("pk").first()
    Referral.objects.create(
        case=guet,
        decision=notice,
        letter=notice,
        subject=guet.subject_links.get(),
        to_department="discipline",
        outcome="failed",
        ack_due=notice.issue_date,
    )
    return Case.objects.get(pk=guet.pk), Case.objects.get(pk=gxnu.pk)


SEES = {
    "GUET": {
        "officer_guet",
        "reviewer_guet",
        "chair_guet",
        "member1_guet",
        "researcher_zhang",
        "hr_guet",
        "research_guet",
        "discipline_guet",
        "supervisor_city",
        "admin",
    },
    "GXNU": {"officer_gxnu", "researcher_gxnu", "hr_gxnu", "supervisor_city", "admin"},
}


def pages(case):
    item = case.rectification_items.first()
    request = case.department_requests.order_by("department").first()
    urls = [reverse("cases:detail", args=[case.pk]), reverse("rectification_pages:opinion", args=[request.pk])]
    if item is not None:
        urls += [reverse(f"rectification_pages:{name}", args=[item.pk]) for name in ("evidence", "review", "extension")]
    urls += [
        reverse(f"rectification_pages:{name}", args=[case.pk])
        for name in ("supplement", "statement", "commitment", "suspend", "resume", "terminate")
    ]
    urls += [reverse("rectification_pages:referral_ack", args=[r.pk]) for r in case.referrals.all()]
    return urls


@pytest.mark.parametrize("username", ROLES)
def test_every_page_for_every_role(two_cases, client_for, username):
    client = client_for(username)
    for case in two_cases:
        sees = username in SEES[case.institution.code]
        for url in pages(case):
            for method in ("get", "post") if "/rectification/" in url else ("get",):
                status = getattr(client, method)(url, {}).status_code
                assert status != 500, (username, url, method)
                if not sees:
                    assert status == 404, (username, url, method, status)
                else:
                    assert status in (200, 302, 403), (username, url, method, status)
        listing = client.get(reverse("cases:index")).content.decode()
        assert (case.number in listing) is sees, (username, case.number)
    assert client.get(reverse("rectification_pages:declare")).status_code in (200, 403)
    assert client.get(reverse("rectification_pages:register")).status_code in (200, 403)
    desk = client.get(reverse("rectification_pages:desk"))
    assert desk.status_code in (200, 403)
    if desk.status_code == 200:
        text = desk.content.decode()
        for case in two_cases:
            if username not in SEES[case.institution.code]:
                assert case.number not in text, (username, case.number)
    # Nothing posted above changed anything: every form refused the empty input.
    for case in two_cases:
        fresh = Case.objects.get(pk=case.pk)
        assert fresh.stage == case.stage, (username, case.number)


def test_a_department_contact_sees_only_their_items(two_cases, client_for, users):
    guet, _gxnu = two_cases
    page = client_for("hr_guet").get(reverse("cases:detail", args=[guet.pk])).content.decode()
    assert "G01" in page and "验收或退回" not in page  # nothing submitted yet
    research = client_for("research_guet").get(reverse("cases:detail", args=[guet.pk])).content.decode()
    assert "G01" not in research and "科学技术处" in research
    # 国资处 was neither asked for an opinion nor verifies an item: the case does not exist for them.
    assert client_for("assets_guet").get(reverse("cases:detail", args=[guet.pk])).status_code == 404
    item = guet.rectification_items.get()
    assert (
        client_for("research_guet")
        .post(reverse("rectification_pages:review", args=[item.pk]), {"accepted": "yes"})
        .status_code
        == 403
    )


def test_department_evidence_and_desk(two_cases, client_for, users):
    """A department contact lists and downloads only the evidence of the items their department verifies."""
    guet, _gxnu = two_cases
    item = guet.rectification_items.get()
    evidence = client_for("researcher_zhang").post(
        reverse("rectification_pages:evidence", args=[item.pk]), {"note": "已补办审批。", "files": pdf("审批表.pdf")}
    )
    assert evidence.status_code == 302
    attachment = item.evidence.get().attachment
    declaration = guet.attachments.get(category="declaration")
    hr = client_for("hr_guet")
    page = hr.get(reverse("cases:detail", args=[guet.pk])).content.decode()
    assert "审批表" in page and declaration.original_name not in page  # the file list and the history
    assert reverse("cases:attachment_download", args=[guet.pk, attachment.pk]) in page
    assert reverse("cases:attachment_download", args=[guet.pk, declaration.pk]) not in page
    assert hr.get(reverse("cases:attachment_download", args=[guet.pk, attachment.pk])).status_code == 200
    assert hr.get(reverse("cases:attachment_download", args=[guet.pk, declaration.pk])).status_code == 404
    research = client_for("research_guet")
    assert research.get(reverse("cases:attachment_download", args=[guet.pk, attachment.pk])).status_code == 404
    research_page = research.get(reverse("cases:detail", args=[guet.pk])).content.decode()
    assert reverse("cases:attachment_download", args=[guet.pk, attachment.pk]) not in research_page
    # The desk: the item waits for 人事处's acceptance, with its deadline; not on 科研处's desk.
    desk = hr.get(reverse("rectification_pages:desk")).content.decode()
    assert guet.number in desk and item.due_on.strftime("%Y-%m-%d") in desk
    assert reverse("rectification_pages:review", args=[item.pk]) in desk
    assert (
        reverse("rectification_pages:review", args=[item.pk])
        not in research.get(reverse("rectification_pages:desk")).content.decode()
    )
    assert reverse("rectification_pages:desk") in hr.get("/").content.decode()


def test_a_viewer_with_many_visible_cases_sees_the_same_ones(two_cases, client_for, monkeypatch):
    """Past a few hundred cases, the lists of a viewer with several rules (a department contact, a licensee)
    walk the cases and probe each rule per case instead of hashing every rule: the same cases either way,
    on the list, the home page and each case's page."""
    from tolerance.selectors import cases as case_selector

    def seen(username):
        client = client_for(username)
        listing, home = client.get(reverse("cases:index")).content.decode(), client.get("/").content.decode()
        return [
            (
                case.number in listing,
                case.number in home,
                client.get(reverse("cases:detail", args=[case.pk])).status_code,
            )
            for case in two_cases
        ]

    viewers = ["hr_guet", "research_guet", "discipline_guet", "assets_guet", "finance_guet", "hr_gxnu", "licensee_demo"]
    hashed = {username: seen(username) for username in viewers}
    monkeypatch.setattr(case_selector, "FEW_VISIBLE", 0)  # every viewer who sees a case counts as having many
    assert {username: seen(username) for username in viewers} == hashed
    assert hashed["hr_guet"] == [(True, True, 200), (False, False, 404)]
    assert hashed["discipline_guet"][0][2] == 200 and hashed["assets_guet"][0][2] == 404
