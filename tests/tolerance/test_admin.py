"""The admin: policy data is validated and every change audited; cases and evidence only as the site shows them."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import Attachment, CaseType, CaseTypePolicy, Institution, WorkingDayOverride
from tolerance.working_days import add_working_days

from .conftest import PDF_BYTES

INSTITUTION_FIELDS = ["code", "name_zh", "name_en", "hr_contact_email"]
POLICY_FIELDS = [
    "institution",
    "case_type",
    "document_number_prefix",
    "publicity_days",
    "publicity_day_count",
    "objection_days",
    "appeal_working_days",
    "supplement_working_days",
    "reminder_working_days",
    "appeal_reminder_working_days",
    "committee_quorum_percent",
    "vote_threshold_percent",
]


def institution_form(institution, **changes):
    data = {name: getattr(institution, name) for name in INSTITUTION_FIELDS}
    data["is_active"] = "on" if institution.is_active else ""
    data.update(changes)
    return data


def exemption_policy(institution):
    return CaseTypePolicy.objects.get(institution=institution, case_type=CaseType.EXEMPTION)


def policy_form(policy, **changes):
    data = {name: getattr(policy, name) for name in POLICY_FIELDS}
    data["institution"] = policy.institution_id
    data.update(changes)
    return data


def policy_url(policy):
    return f"/admin/tolerance/casetypepolicy/{policy.pk}/change/"


def policy_events():
    return AuditEvent.objects.filter(action=AuditAction.POLICY_CHANGED)


def test_changing_a_policy_number_is_audited_with_old_and_new_values(client_for, guet, users):
    policy = exemption_policy(guet)
    response = client_for("admin").post(policy_url(policy), policy_form(policy, publicity_days=7))

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.publicity_days == 7
    event = policy_events().get()
    assert event.actor_username == "admin"
    assert event.payload["changes"] == {"publicity_days": [5, 7]}
    assert event.target_id == str(policy.pk)


def test_publicity_can_be_counted_in_calendar_days(client_for, guet):
    policy = exemption_policy(guet)
    response = client_for("admin").post(policy_url(policy), policy_form(policy, publicity_day_count="calendar"))

    assert response.status_code == 302
    policy.refresh_from_db()
    assert not policy.publicity_counts_working_days


def test_an_inconsistent_policy_is_refused_in_chinese_and_nothing_changes(client_for, guet):
    policy = exemption_policy(guet)
    response = client_for("admin").post(policy_url(policy), policy_form(policy, publicity_days=5, objection_days=10))

    assert response.status_code == 200
    assert "异议期不能长于公示期" in response.content.decode()
    policy.refresh_from_db()
    assert policy.objection_days == 5
    assert not policy_events().exists()


def test_an_out_of_range_policy_number_is_refused(client_for, guet):
    policy = exemption_policy(guet)
    response = client_for("admin").post(policy_url(policy), policy_form(policy, committee_quorum_percent=150))

    assert response.status_code == 200
    assert "小于或等于100" in response.content.decode()
    policy.refresh_from_db()
    assert policy.committee_quorum_percent == 67


def test_the_institution_code_cannot_be_changed_once_created(client_for, guet):
    client_for("admin").post(
        f"/admin/tolerance/institution/{guet.pk}/change/", {**institution_form(guet), "code": "GUETX"}
    )

    assert Institution.objects.filter(code="GUET").exists()
    assert not Institution.objects.filter(code="GUETX").exists()


def test_a_calendar_override_added_and_removed_in_the_admin_is_audited_and_used(client_for, users):
    client = client_for("admin")
    response = client.post(
        "/admin/tolerance/workingdayoverride/add/",
        {"date": "2026-10-09", "is_working_day": "", "note": "校园停电"},
    )
    assert response.status_code == 302
    assert add_working_days(datetime.date(2026, 10, 8), 1) == datetime.date(2026, 10, 10)

    override = WorkingDayOverride.objects.get()
    client.post(f"/admin/tolerance/workingdayoverride/{override.pk}/delete/", {"post": "yes"})

    assert not WorkingDayOverride.objects.exists()
    assert add_working_days(datetime.date(2026, 10, 8), 1) == datetime.date(2026, 10, 9)
    operations = [event.payload["operation"] for event in policy_events().order_by("sequence")]
    assert operations == ["created", "deleted"]


def test_officers_cannot_edit_policy(client_for, guet):
    policy = exemption_policy(guet)
    response = client_for("officer_guet").post(policy_url(policy), policy_form(policy, publicity_days=1))

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.publicity_days == 5


def profile_form(profile, **changes):
    data = {
        "user": profile.user_id,
        "institution": profile.institution_id or "",
        "organisation": profile.organisation,
        "real_name": profile.real_name,
        "staff_number": profile.staff_number,
        "department": profile.department,
        "phone": profile.phone,
        "email": profile.email,
    }
    data.update(changes)
    return data


def test_moving_a_user_to_another_institution_is_audited_with_old_and_new_values(client_for, users, guet, gxnu):
    profile = users["officer_guet"].profile

    response = client_for("admin").post(
        f"/admin/tolerance/profile/{profile.pk}/change/", profile_form(profile, institution=gxnu.pk)
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.institution == gxnu
    event = policy_events().get()
    assert event.actor_username == "admin"
    assert event.payload["model"] == "tolerance.Profile"
    assert event.payload["changes"] == {"institution": [guet.pk, gxnu.pk]}
    assert event.target_id == str(profile.pk)


def test_staff_see_in_the_admin_only_the_cases_and_evidence_they_may_see(client_for, users, file_case, media_root):
    guet_case = file_case()
    gxnu_case = file_case(officer="officer_gxnu", subjects=("researcher_gxnu",))
    for officer, case in (("officer_guet", guet_case), ("officer_gxnu", gxnu_case)):
        client_for(officer).post(
            f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile(f"{officer}.pdf", PDF_BYTES)}
        )
    gxnu_attachment = Attachment.objects.get(case=gxnu_case)
    guet_attachment = Attachment.objects.get(case=guet_case)
    officer = users["officer_guet"]
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    client = client_for("officer_guet")

    assert client.get(f"/admin/tolerance/case/{guet_case.pk}/change/").status_code == 200
    response = client.get(f"/admin/tolerance/case/{gxnu_case.pk}/change/", follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    assert gxnu_case.number not in response.content.decode()
    case_list = client.get("/admin/tolerance/case/").content.decode()
    assert guet_case.number in case_list and gxnu_case.number not in case_list

    assert client.get(f"/admin/tolerance/attachment/{guet_attachment.pk}/change/").status_code == 200
    assert client.get(f"/admin/tolerance/attachment/{gxnu_attachment.pk}/change/").status_code in (302, 404)
    attachment_list = client.get("/admin/tolerance/attachment/").content.decode()
    assert "officer_guet.pdf" in attachment_list and "officer_gxnu.pdf" not in attachment_list

    # The superuser still sees everything.
    assert client_for("admin").get(f"/admin/tolerance/case/{gxnu_case.pk}/change/").status_code == 200


def test_a_policy_for_a_case_type_that_does_not_exist_is_refused(client_for, guet):
    policy = exemption_policy(guet)
    response = client_for("admin").post(
        "/admin/tolerance/casetypepolicy/add/", policy_form(policy, case_type="ZZ", document_number_prefix="桂电某某")
    )

    assert response.status_code == 200
    assert not CaseTypePolicy.objects.filter(case_type="ZZ").exists()
    assert not policy_events().exists()
