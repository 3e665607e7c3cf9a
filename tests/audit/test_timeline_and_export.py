"""The case page's history and the trail exports, as the people involved see them."""

import base64
import csv
import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tolerance.audit.actions import AuditAction
from tolerance.audit.hashing import GENESIS_HASH
from tolerance.audit.models import AuditEvent
from tolerance.audit.services import audit_record
from tolerance.services.attachments import attachment_add


@pytest.fixture
def case(file_case, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = file_case()
    attachment_add(
        case=case,
        uploaded_by=users["officer_guet"],
        uploaded=SimpleUploadedFile("会议纪要.txt", "会议纪要正文".encode()),
    )
    return case


def _committee(case, users, action, payload=None, actor="member1_guet"):
    with transaction.atomic():
        audit_record(action=action, actor=users[actor], case=case, payload=payload or {})


def _page(client, case):
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_officer_reads_the_history_in_plain_chinese_with_a_link_to_the_file(client_for, case):
    page = _page(client_for("officer_guet"), case)
    attachment = case.attachments.get()
    assert "王科（经办人）上传材料《会议纪要.txt》" in page
    assert "王科（经办人）立案" in page
    assert f'href="/cases/{case.pk}/attachments/{attachment.pk}/"' in page
    assert "年" in page and "月" in page


def test_parties_never_see_votes_internal_events_or_deliberation_before_the_resolution(client_for, case, users):
    _committee(case, users, AuditAction.CONFLICT_DECLARED, {"conflicted": False})
    _committee(case, users, AuditAction.VOTE_CAST, {"vote": "approve"})
    _committee(case, users, AuditAction.FORM_SUBMITTED, {"title": "审议意见", "internal": True}, actor="officer_guet")
    researcher = client_for("researcher_zhang")

    page = _page(researcher, case)
    assert "上传材料《会议纪要.txt》" in page
    assert "作出利益冲突声明" not in page and "投票" not in page and "审议意见" not in page
    staff_page = _page(client_for("chair_guet"), case)
    assert "赵委员（委员）作出利益冲突声明" in staff_page and "赵委员（委员）投票" in staff_page

    _committee(case, users, AuditAction.RESOLUTION_RECORDED, {"outcome": "exempt"}, actor="chair_guet")
    page = _page(researcher, case)
    assert "刘主任（主任委员）记录委员会决议" in page
    assert "赵委员（委员）作出利益冲突声明" in page
    assert "投票" not in page and "审议意见" not in page


def test_another_institutions_officer_cannot_see_the_case_or_its_trail(client_for, case):
    client = client_for("officer_gxnu")
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/audit/cases/{case.pk}/trail.json").status_code == 404


def test_parties_and_committee_members_cannot_export(client_for, case):
    assert client_for("researcher_zhang").get(f"/audit/cases/{case.pk}/trail.csv").status_code == 403
    assert client_for("member1_guet").get(f"/audit/cases/{case.pk}/trail.csv").status_code == 403
    assert "trail.csv" not in _page(client_for("researcher_zhang"), case)


def _verify_outside_the_system(events):
    """What docs/audit-verification.md tells an auditor to do, with nothing but hashlib and json."""
    previous = GENESIS_HASH
    for position, event in enumerate(events, start=1):
        data = event["canonical"].encode("utf-8")
        fields = json.loads(data)
        assert hashlib.sha256(data).hexdigest() == event["event_hash"]
        assert fields["case_sequence"] == position == event["case_sequence"]
        assert fields["case_previous_hash"] == previous == event["case_previous_hash"]
        previous = event["event_hash"]
    return previous


def test_officer_exports_json_that_verifies_outside_the_system(client_for, case):
    response = client_for("officer_guet").get(f"/audit/cases/{case.pk}/trail.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["case"] == case.number
    head = _verify_outside_the_system(document["events"])

    made = AuditEvent.objects.get(action=AuditAction.EXPORT_MADE)
    assert made.case_id == case.pk and made.actor_username == "officer_guet"
    assert made.payload == {
        "format": "json",
        "events": len(document["events"]),
        "head_case_sequence": 2,
        "head_hash": head,
    }


def test_officer_exports_csv_with_the_hashed_bytes(client_for, case):
    # (A supervisor may not: the trail holds votes and deliberations; tests/statistics checks the 403.)
    response = client_for("officer_guet").get(f"/audit/cases/{case.pk}/trail.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    events = [
        {
            **row,
            "case_sequence": int(row["case_sequence"]),
            "canonical": base64.b64decode(row["canonical_base64"]).decode(),
        }
        for row in rows
    ]
    _verify_outside_the_system(events)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_MADE, actor_username="officer_guet").exists()


def test_unknown_export_format_is_not_found(client_for, case):
    assert client_for("officer_guet").get(f"/audit/cases/{case.pk}/trail.xml").status_code == 404
