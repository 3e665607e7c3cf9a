"""A company applies through the portal: bad input is refused with a Chinese message and changes
nothing; the officer declines with a reason or accepts into the flow, and only an accepted application
takes a case number (the numbering stays gap-free)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workflows.licensing.conftest import pdf
from tolerance.audit.models import AuditEvent
from tolerance.models import Case
from tolerance.notifications.models import Notification
from workflows.licensing.application_models import ApplicationStatus, LicenceApplication
from workflows.licensing.models import LicensingStage

APPLY = reverse("licence_pages:apply")


def application_data(ledger, **overrides):
    today = timezone.localdate()
    data = {
        "title": "雷达信号处理专利许可申请",
        "results": [ledger["ZL202110356789.4"].pk],
        "intended_use": "用于车载毫米波雷达信号处理模块的研发与小批量生产。",
        "licence_type": "ordinary",
        "fields_of_use": "G01S",
        "territories": "450000",
        "start_on": today.isoformat(),
        "end_on": (today + datetime.timedelta(days=3 * 365)).isoformat(),
        "free_use_months": "12",
        "trigger_mode": "any_of",
        "trigger_date": (today + datetime.timedelta(days=365)).isoformat(),
        "trigger_milestone": "",
        "trigger_revenue": "",
        "payment_mode": "lump",
        "fee_total": "80000.00",
        "instalments": "1",
        "royalty_percent": "",
        "valuation_reference": "",
        "documents": [pdf("营业执照.pdf"), pdf("财务报表.pdf")],
    }
    data.update(overrides)
    return data


def nothing_filed():
    return (
        not LicenceApplication.objects.exists()
        and not AuditEvent.objects.filter(payload__form="licensing_application").exists()
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"results": ["999999"]}, "不是可申请许可的成果"),
        ({"end_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()}, "许可届满日须晚于起始日"),
        ({"fee_total": "-100.00"}, "0.01"),
        ({"fee_total": "一万元"}, "输入一个数字"),
        ({"fee_total": "100.123"}, "小数不超过 2 位"),
        ({"trigger_revenue": "5000.999"}, "小数不超过 2 位"),
        ({"documents": []}, "这个字段是必填项"),
    ],
    ids=[
        "unknown-result",
        "ends-before-start",
        "negative",
        "not-a-number",
        "three-decimals",
        "revenue-3dp",
        "no-documents",
    ],
)
def test_bad_applications_are_refused_in_chinese_and_change_nothing(overrides, message, licensing, client_for):
    client = client_for("licensee_demo")
    response = client.post(APPLY, application_data(licensing["results"], **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_filed()


def test_an_unlisted_result_cannot_be_applied_for(licensing, client_for):
    result = licensing["results"]["ZL202110356789.4"]
    result.listed = False
    result.save()
    response = client_for("licensee_demo").post(APPLY, application_data(licensing["results"]))
    assert response.status_code == 200 and "不是可申请许可的成果" in response.content.decode()
    assert nothing_filed()


def test_applications_are_declined_with_a_reason_or_accepted_with_the_next_number(
    licensing, licence_driver, client_for
):
    earlier = licence_driver.file()  # the officer's own filing takes a number
    contact, officer = client_for("licensee_demo"), client_for("officer_guet")
    assert contact.get(APPLY).status_code == 200
    assert contact.post(APPLY, application_data(licensing["results"])).status_code == 302
    first = LicenceApplication.objects.get()
    assert first.status == ApplicationStatus.WAITING and first.documents.count() == 2
    assert Case.objects.count() == 1  # no number taken yet
    assert Notification.objects.filter(recipient__username="officer_guet", kind="licensing_application").exists()

    page = reverse("licence_pages:application", args=[first.pk])
    # Another company's contact and another institution's officer see nothing of it.
    assert client_for("licensee_other").get(page).status_code == 404
    assert client_for("officer_gxnu").get(page).status_code == 404
    assert (
        client_for("officer_gxnu").post(reverse("licence_pages:application_accept", args=[first.pk])).status_code == 404
    )
    # The contact reads it but cannot decide it.
    assert contact.get(page).status_code == 200
    assert (
        contact.post(reverse("licence_pages:application_decline", args=[first.pk]), {"reason": "x"}).status_code == 403
    )
    assert first.title in officer.get(reverse("licence_pages:applications")).content.decode()

    decline = reverse("licence_pages:application_decline", args=[first.pk])
    response = officer.post(decline, {"reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    first.refresh_from_db()
    assert first.status == ApplicationStatus.WAITING
    assert officer.post(decline, {"reason": "成果已与其他企业洽谈独占许可，暂不受理。"}).status_code == 302
    first.refresh_from_db()
    assert first.status == ApplicationStatus.DECLINED and first.case is None
    assert "暂不受理" in contact.get(page).content.decode()
    # Decided once: accepting it now is refused.
    response = officer.post(reverse("licence_pages:application_accept", args=[first.pk]), {})
    assert response.status_code == 200 and "已经处理" in response.content.decode()

    assert contact.post(APPLY, application_data(licensing["results"], title="第二次申请")).status_code == 302
    second = LicenceApplication.objects.get(status=ApplicationStatus.WAITING)
    accept = reverse("licence_pages:application_accept", args=[second.pk])
    response = officer.post(accept, {"inventors": [licence_driver.users["researcher_zhang"].pk]})
    assert response.status_code == 302
    second.refresh_from_db()
    case = second.case
    assert second.status == ApplicationStatus.ACCEPTED and case.stage == LicensingStage.REVIEW
    sequence = int(re.fullmatch(r"GUET-XK-\d{4}-(\d{4})", case.number).group(1))
    assert sequence == int(earlier.number[-4:]) + 1  # the declined application left no gap
    assert case.company.uscc == "91450300MA5K8QXY1P" and case.filed_by.username == "officer_guet"
    assert sorted(case.attachments.values_list("original_name", flat=True)) == ["营业执照.pdf", "财务报表.pdf"]
    assert case.subject_links.filter(user__username="licensee_demo").exists()
    # The accepting officer is the filer: a second officer reviews (four-eyes).
    assert licence_driver.act("officer_guet", case, "review", {}).status_code == 403
    assert licence_driver.review(case).status_code == 302
    assert case.number in contact.get(reverse("licence_pages:portal")).content.decode()


def test_only_a_company_contact_applies(licensing, client_for):
    assert client_for("officer_guet").get(APPLY).status_code == 403
    assert client_for("researcher_zhang").post(APPLY, application_data(licensing["results"])).status_code == 403
    assert nothing_filed()
