"""The register (台账): recording an approved period, reminders before it ends, the overstay that opens a G07
case once, and the year's roster for 人社."""

import datetime

import pytest
from django.urls import reverse

from tests.workflows.rectification.conftest import USCC, at
from tolerance.audit.models import AuditEvent
from tolerance.models import Case
from tolerance.notifications.models import Notification
from workflows.rectification import sweeps
from workflows.rectification.models import Origin
from workflows.rectification.register import RegisterEntry, RegisterStatus

pytestmark = pytest.mark.django_db
START = datetime.date(2023, 9, 1)
END = datetime.date(2026, 8, 31)


def entry_data(users, **overrides):
    return {
        "person": users["researcher_li"].pk,
        "kind": "leave",
        "company_name": "桂林七星智能传感有限公司",
        "company_uscc": USCC,
        "project": "柔性传感器产业化",
        "approval_document": "桂电人〔2023〕12号",
        "approved_on": "2023-08-20",
        "start_on": START.isoformat(),
        "end_on": END.isoformat(),
        **overrides,
    }


@pytest.fixture
def entry(client_for, users, catalogues):
    response = client_for("officer_guet").post(reverse("rectification_pages:register"), entry_data(users))
    assert response.status_code == 302, response.content.decode()[:2000]
    return RegisterEntry.objects.get()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"end_on": "2023-08-01"}, "end_on"),
        ({"end_on": "2027-09-02"}, "end_on"),
        ({"start_on": "2023-08-01"}, "start_on"),
        ({"company_uscc": "91450300MA5K8R3X0Z"}, "company_uscc"),
    ],
)
def test_bad_register_entries_are_refused(client_for, users, catalogues, overrides, field):
    response = client_for("officer_guet").post(reverse("rectification_pages:register"), entry_data(users, **overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not RegisterEntry.objects.exists()


def test_only_officers_use_the_register(client_for, catalogues):
    for username in ("researcher_zhang", "hr_guet", "chair_guet", "supervisor_city"):
        assert client_for(username).get(reverse("rectification_pages:register")).status_code == 403


def test_reminders_at_90_30_and_7_days_each_once(entry, users):
    li = users["researcher_li"]
    for days_left in (120, 90, 89, 30, 7, 7):
        with at(END - datetime.timedelta(days=days_left)):
            sweeps.register_expiry_sweep(None)
    reminders = Notification.objects.filter(recipient=li, kind="rectification_register_expiry")
    assert reminders.count() == 3
    assert Notification.objects.filter(recipient=users["hr_guet"], kind="rectification_register_expiry").count() == 3
    leads = sorted(
        e.payload["lead_days"]
        for e in AuditEvent.objects.filter(action="notification.sent", target_type="workflows.RegisterEntry")
    )
    assert leads == [7, 30, 90]


def test_an_overstay_opens_one_g07_case(entry, users):
    with at(END + datetime.timedelta(days=1)):
        sweeps.register_expiry_sweep(None)
        sweeps.register_expiry_sweep(None)
    case = Case.objects.get()
    assert case.rectification.origin == Origin.REGISTER_OVERSTAY and case.rectification.register_entry == entry
    assert list(case.rectification_items.values_list("gap__code", flat=True)) == ["G07"]
    assert [link.user for link in case.subject_links.all()] == [users["researcher_li"]]
    entry.refresh_from_db()
    assert entry.status == RegisterStatus.OVERSTAYED
    assert Notification.objects.filter(recipient=users["hr_guet"], kind="rectification_register_overstay").exists()
    assert AuditEvent.objects.filter(case_id=case.pk, payload__change="register_overstayed").exists()


def test_no_overstay_after_a_return(entry, users, client_for):
    from workflows.rectification.register_services import register_return

    register_return(entry=entry, recorded_by=users["officer_guet"], returned_on=END)
    with at(END + datetime.timedelta(days=1)):
        sweeps.register_expiry_sweep(None)
    assert not Case.objects.exists()


def test_the_roster_lists_the_year(entry, client_for):
    response = client_for("officer_guet").get(reverse("rectification_pages:roster", args=[2025]))
    content = response.content.decode("utf-8")
    assert response.status_code == 200 and "桂林七星智能传感有限公司" in content and "李四" in content
    assert (
        "李四"
        not in client_for("officer_guet").get(reverse("rectification_pages:roster", args=[2022])).content.decode()
    )
    assert (
        client_for("officer_gxnu")
        .get(reverse("rectification_pages:roster", args=[2025]))
        .content.decode()
        .count("李四")
        == 0
    )
