"""Lists entered in rows (subjects, files per category) and files kept across a rejected submission."""

import datetime
import json
import re
import uuid

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.workflows.conftest import PDF, day_after, has_chinese, run_timers, subject_rows
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.file_store import ARCHIVE
from tolerance.models import Case, PendingUpload
from tolerance.services.attachments import attachment_open
from workflows.flows import ExemptionFlow
from workflows.models import Appeal

pytestmark = pytest.mark.django_db
EVIDENCE_FIELDS = [f"evidence_{category}" for category in ("minutes", "publicity", "cause")]


def start_url():
    return ExemptionFlow.start.reverse("execute")


def unique_pdf(name):
    """A PDF with bytes of its own, so no other test's file shares its content address."""
    return SimpleUploadedFile(name, PDF + f"%{uuid.uuid4()}\n".encode(), content_type="application/pdf")


def shows(response, text):
    """The page shows `text`: as HTML, or inside the JSON a viewflow field renders its choices from."""
    page = response.content.decode()
    return text in page or json.dumps(text)[1:-1] in page


def without_files(data):
    return {key: value for key, value in data.items() if not key.startswith("evidence_")}


def kept_ids(response):
    return [str(held.pk) for held in response.context["form"].held_kept]


def rejected_filing(driver, client, **overrides):
    """A filing refused for a missing title, with two minutes, publicity records and the account of the cause."""
    data = driver.filing_data(
        title="",
        evidence_minutes=[unique_pdf("会议纪要一.pdf"), unique_pdf("会议纪要二.pdf")],
        evidence_publicity=unique_pdf("公示记录.pdf"),
        evidence_cause=unique_pdf("失败原因说明.pdf"),
        **overrides,
    )
    response = client.post(start_url(), data)
    assert response.status_code == 200 and not Case.objects.exists()
    return response


def test_a_rejected_filing_keeps_its_files_and_the_corrected_one_files_them_without_uploading_again(
    driver, client_for, django_capture_on_commit_callbacks
):
    client = client_for("officer_guet")
    response = rejected_filing(driver, client)
    for name in ("会议纪要一.pdf", "会议纪要二.pdf", "公示记录.pdf", "失败原因说明.pdf"):
        assert shows(response, name)
    assert shows(response, "上次提交时保留的文件")
    ids = kept_ids(response)
    assert len(ids) == 4 and PendingUpload.objects.count() == 4
    assert response.content.decode().count('name="held"') == 4

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start_url(), {**without_files(driver.filing_data()), "held": ids})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert sorted(case.attachments.values_list("category", "original_name")) == [
        ("cause", "失败原因说明.pdf"),
        ("minutes", "会议纪要一.pdf"),
        ("minutes", "会议纪要二.pdf"),
        ("publicity", "公示记录.pdf"),
    ]
    for attachment in case.attachments.all():
        with attachment_open(attachment) as content:
            assert content.read().startswith(PDF)
    added = AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.ATTACHMENT_ADDED)
    assert added.count() == 4
    assert not PendingUpload.objects.exists()
    archive = storages[ARCHIVE]
    assert not any(archive.exists(PendingUpload.storage_name_for(a.sha256)) for a in case.attachments.all())


def test_a_kept_file_ticked_for_removal_is_left_out(driver, client_for):
    client = client_for("officer_guet")
    response = rejected_filing(driver, client)
    dropped = next(held for held in response.context["form"].held_kept if held.original_name == "会议纪要二.pdf")
    data = {**without_files(driver.filing_data()), "held": kept_ids(response), "held_drop": [str(dropped.pk)]}
    assert client.post(start_url(), data).status_code == 302
    names = set(Case.objects.get().attachments.values_list("original_name", flat=True))
    assert names == {"会议纪要一.pdf", "公示记录.pdf", "失败原因说明.pdf"}
    assert not PendingUpload.objects.exists()


def test_the_required_minutes_may_come_from_the_kept_files_and_new_files_join_them(driver, client_for):
    client = client_for("officer_guet")
    response = rejected_filing(driver, client)
    data = {
        **without_files(driver.filing_data()),
        "held": kept_ids(response),
        "evidence_valuation": unique_pdf("估值.pdf"),
    }
    assert client.post(start_url(), data).status_code == 302
    assert Case.objects.get().attachments.count() == 5


def test_a_second_rejection_keeps_the_files_of_both_submissions(driver, client_for):
    client = client_for("officer_guet")
    first = rejected_filing(driver, client)
    data = {
        **without_files(driver.filing_data(title="")),
        "held": kept_ids(first),
        "evidence_contract": unique_pdf("合同.pdf"),
    }
    second = client.post(start_url(), data)
    assert second.status_code == 200 and len(kept_ids(second)) == 5
    assert (
        client.post(start_url(), {**without_files(driver.filing_data()), "held": kept_ids(second)}).status_code == 302
    )
    assert Case.objects.get().attachments.count() == 5


def test_a_file_refused_by_its_content_is_not_kept_but_the_others_are(driver, client_for):
    client = client_for("officer_guet")
    script = SimpleUploadedFile("纪要.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    response = client.post(start_url(), driver.filing_data(evidence_valuation=script))
    assert response.status_code == 200 and not Case.objects.exists()
    assert has_chinese(" ".join(response.context["form"].errors["evidence_valuation"]))
    assert sorted(held.original_name for held in response.context["form"].held_kept) == sorted(
        ["会议纪要.pdf", "公示记录.pdf", "失败原因说明.pdf"]
    )


def test_nobody_can_use_another_users_kept_files(driver, client_for):
    response = rejected_filing(driver, client_for("officer_guet"))
    theirs = kept_ids(response)
    other = client_for("reviewer_guet")
    for claimed in (theirs, theirs[:1], ["999999"], ["abc"]):
        refused = other.post(start_url(), {**driver.filing_data(), "held": claimed})
        assert refused.status_code == 200
        errors = refused.context["form"].non_field_errors()
        assert any("不属于您" in error for error in errors), errors
    assert not Case.objects.exists()
    assert PendingUpload.objects.filter(pk__in=theirs).count() == 4


def test_a_kept_file_is_used_once(driver, client_for):
    client = client_for("officer_guet")
    ids = kept_ids(rejected_filing(driver, client))
    assert client.post(start_url(), {**without_files(driver.filing_data()), "held": ids}).status_code == 302
    again = client.post(start_url(), {**driver.filing_data(), "held": ids})
    assert again.status_code == 200 and Case.objects.count() == 1


def test_several_subjects_are_named_in_rows_beyond_those_the_page_offers(driver, client_for, users):
    rows = subject_rows(
        (users["researcher_zhang"].pk, "项目负责人"), (users["researcher_li"].pk, "主要完成人"), extra=4
    )
    case = driver.file(**rows)
    assert sorted(case.subject_links.values_list("user__username", "role_in_case")) == [
        ("researcher_li", "主要完成人"),
        ("researcher_zhang", "项目负责人"),
    ]


def test_a_subject_named_twice_gets_the_services_error_on_its_own_row(driver, client_for, users):
    zhang, li = users["researcher_zhang"].pk, users["researcher_li"].pk
    data = driver.filing_data(**subject_rows((zhang, "项目负责人"), ("", ""), (li, "主要完成人"), (zhang, "参与人")))
    response = client_for("officer_guet").post(start_url(), data)
    assert response.status_code == 200 and not Case.objects.exists()
    rows = response.context["form"].subjects.forms
    assert [bool(row.non_field_errors()) for row in rows] == [False, False, False, True, False, False, False]
    assert "重复" in rows[3].non_field_errors()[0]
    assert shows(response, "重复")
    assert len(response.context["form"].held_kept) == 3  # the service refused: the files are kept all the same


def test_no_subject_at_all_gets_the_services_error_above_the_rows(driver, client_for):
    data = driver.filing_data(**{"subjects-0-user": "", "subjects-0-role": "", "subjects-0-audience": ""})
    response = client_for("officer_guet").post(start_url(), data)
    assert response.status_code == 200 and not Case.objects.exists()
    assert list(response.context["form"].subjects.non_form_errors()) == ["请至少指定一名当事人。"]
    page = response.content.decode()
    assert page.index("请至少指定一名当事人。") < page.index('name="subjects-0-user"')


def test_a_role_without_a_person_is_refused_on_its_row(driver, client_for, users):
    data = driver.filing_data(**subject_rows((users["researcher_zhang"].pk, "项目负责人"), ("", "主要完成人")))
    response = client_for("officer_guet").post(start_url(), data)
    assert response.status_code == 200 and not Case.objects.exists()
    assert has_chinese(response.context["form"].subjects.forms[1].errors["user"][0])


def test_the_filing_page_works_without_script(client_for, policy):
    page = client_for("officer_guet").get(start_url()).content.decode()
    for index in range(3):
        assert f'name="subjects-{index}-user"' in page and f'name="subjects-{index}-role"' in page
    assert 'name="subjects-TOTAL_FORMS" value="3"' in page
    template = page[page.index('<template class="tol-formset__template">') :]
    assert 'name="subjects-__prefix__-user"' in template[: template.index("</template>")]
    assert 'class="mdc-button mdc-button--outlined tol-formset__add" hidden' in page
    assert "<script>" not in page  # the Content-Security-Policy forbids inline script
    for field in EVIDENCE_FIELDS:
        assert re.search(f'<vf-field-file [^>]*multiple="multiple"[^>]*name="{field}"', page)


def test_several_files_in_one_evidence_category(driver):
    minutes = [unique_pdf(f"纪要{n}.pdf") for n in range(3)]
    case = driver.file(evidence_minutes=minutes)
    assert sorted(case.attachments.filter(category="minutes").values_list("original_name", flat=True)) == [
        "纪要0.pdf",
        "纪要1.pdf",
        "纪要2.pdf",
    ]


def test_a_supplement_with_more_than_two_files_kept_across_a_rejection(driver):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "supplement", "reason": "缺材料"})
    files = [unique_pdf(f"补正{n}.pdf") for n in range(3)]
    rejected = driver.act("officer_guet", case, "supplement", {"note": "长" * 5000, "files": files})
    assert rejected.status_code == 200 and shows(rejected, "补正2.pdf")
    driver.done(
        "officer_guet",
        case,
        "supplement",
        {"note": "已补充。", "held": kept_ids(rejected), "files": unique_pdf("补正3.pdf")},
    )
    assert case.attachments.filter(category="supplement").count() == 4


def test_an_appeal_with_more_than_two_files_kept_across_a_rejection(driver, client_for):
    case = driver.file()
    driver.to_committee(case, negatives=["N8"])
    driver.through_committee(case, "not_exempt")
    run_timers(day_after(case.publicities.get().ends_on))
    driver.issue(case)
    url = reverse("case_actions:appeal", args=[case.pk])
    client = client_for("researcher_zhang")
    files = [unique_pdf(f"复核证据{n}.pdf") for n in range(3)]
    rejected = client.post(url, {"reasons": "", "evidence": files})
    assert rejected.status_code == 200 and shows(rejected, "复核证据1.pdf")
    response = client.post(url, {"reasons": "属不可预见因素。", "held": kept_ids(rejected)})
    assert response.status_code == 302
    assert Appeal.objects.get(case=case).evidence.count() == 3


def test_stale_kept_files_are_removed_with_their_content(driver, client_for, django_capture_on_commit_callbacks):
    ids = kept_ids(rejected_filing(driver, client_for("officer_guet")))
    stale = PendingUpload.objects.filter(pk__in=ids[:3])
    stale.update(created_at=timezone.now() - datetime.timedelta(days=2))
    names = [held.storage_name for held in stale]
    archive = storages[ARCHIVE]
    assert all(archive.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("pending_uploads_expire", verbosity=0)
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [int(ids[3])]
    assert not any(archive.exists(name) for name in names)
