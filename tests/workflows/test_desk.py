"""The officer's desk through its real pages: search, filters, highlighting, order, CSV/XLSX export of
exactly what is filtered, and the registers — all within what the visibility rules let each user see."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from tests.factories import exemption_case_filed
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import Case
from workflows.exemption.models import ExemptionStage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(policy, users, file_case):
    today = timezone.localdate()
    radar = exemption_case_filed(filed_by=users["officer_guet"], subjects=[users["researcher_zhang"]])
    other = file_case(title="新材料成果许可失败", subjects=("researcher_li",))
    gxnu = exemption_case_filed(filed_by=users["officer_gxnu"], subjects=[users["researcher_gxnu"]])
    # Deadlines as the steps would have set them: one passed, one tomorrow.
    Case.objects.filter(pk=radar.pk).update(next_due=today - datetime.timedelta(days=3))
    Case.objects.filter(pk=gxnu.pk).update(next_due=today + datetime.timedelta(days=1))
    Case.objects.filter(pk=other.pk).update(stage=ExemptionStage.PUBLICITY)
    return {"radar": radar, "other": other, "gxnu": gxnu}


def numbers(response) -> set[str]:
    assert response.status_code == 200
    return {row.case.number for row in response.context["rows"]}


@pytest.mark.parametrize(
    "query",
    ["雷达信号", "张三", "桂林某电子科技", "zl202110356789"],
    ids=["title", "person", "company", "result"],
)
def test_search_finds_by_title_people_company_and_result_within_what_the_user_sees(cases, client_for, query):
    assert numbers(client_for("officer_guet").get("/cases/", {"q": query})) == {cases["radar"].number}
    # The GXNU officer's identical case is theirs alone; 张三's case is not in their list.
    assert cases["radar"].number not in numbers(client_for("officer_gxnu").get("/cases/", {"q": query}))


def test_search_follows_a_person_renamed_after_filing(cases, client_for, users):
    # The search text is written at filing, not after every task: a rename reaches the person's cases itself.
    client = client_for("officer_guet")
    assert numbers(client.get("/cases/", {"q": "张三丰"})) == set()
    profile = users["researcher_zhang"].profile
    profile.real_name = "张三丰"
    profile.save()
    assert numbers(client.get("/cases/", {"q": "张三丰"})) == {cases["radar"].number}


def test_search_by_number_and_the_filters(cases, client_for, users):
    client = client_for("officer_guet")
    radar, other = cases["radar"].number, cases["other"].number
    assert numbers(client.get("/cases/", {"q": radar})) == {radar}
    assert numbers(client.get("/cases/", {"q": "王科"})) == {radar, other}  # the officer
    assert numbers(client.get("/cases/", {"stage": ExemptionStage.PUBLICITY})) == {other}
    assert numbers(client.get("/cases/", {"overdue": "on"})) == {radar}
    assert numbers(client.get("/cases/", {"year": timezone.localdate().year})) == {radar, other}
    assert numbers(client.get("/cases/", {"year": 2001})) == set()
    assert numbers(client_for("researcher_zhang").get("/cases/", {"mine": "on"})) == {radar}
    page = client.get("/cases/").content.decode()
    assert 'class="tol-overdue"' in page and "逾期" in page
    assert 'name="institution"' not in page  # one institution: no such filter
    # The supervisor sees every institution, may filter by one, and sees the GXNU case due tomorrow flagged.
    supervisor = client_for("supervisor_city")
    gxnu = cases["gxnu"]
    assert numbers(supervisor.get("/cases/", {"institution": gxnu.institution_id})) == {gxnu.number}
    assert numbers(supervisor.get("/cases/", {"due_within": 2})) == {gxnu.number}
    ordered = [row.case.number for row in supervisor.get("/cases/", {"sort": "due"}).context["rows"]]
    assert ordered[:2] == [radar, gxnu.number]
    # Bad input is refused beside its field and changes nothing; it never breaks the page.
    refused = client.get("/cases/", {"q": "长" * 101, "due_within": "x", "page": "²"})
    assert refused.status_code == 200 and refused.context["filter"].errors


def test_exports_hold_exactly_the_filtered_rows_and_are_audited(cases, client_for):
    response = client_for("officer_gxnu").get("/cases/export/csv/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [cases["gxnu"].number]  # no GUET row

    client = client_for("officer_guet")
    listed = [row.case.number for row in client.get("/cases/", {"q": "失败", "sort": "due"}).context["rows"]]
    response = client.get("/cases/export/xlsx/", {"q": "失败", "sort": "due"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    exported = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert exported == listed == [cases["radar"].number, cases["other"].number]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT_MADE).order_by("-sequence").first()
    assert event.actor_username == "officer_guet" and event.payload["rows"] == 2
    assert event.payload["filters"] == {"q": "失败", "sort": "due"}
    assert client.get("/cases/export/pdf/").status_code == 404


def test_a_supervisors_export_names_nobody(cases, client_for):
    """The officer's export names the case's people and officer; the supervisor's, of the same cases, does
    not: the people are part of the case file, which statistics do not need."""
    officer_export = client_for("officer_guet").get("/cases/export/csv/").content.decode("utf-8-sig")
    assert "当事人" in officer_export and "张三" in officer_export and "王科" in officer_export
    response = client_for("supervisor_city").get("/cases/export/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert {cases["radar"].number, cases["gxnu"].number} <= {row[0] for row in rows[1:]}
    assert "当事人" not in rows[0] and "经办人" not in rows[0]
    cells = {str(cell) for row in rows for cell in row}
    assert not {"张三", "王科"} & cells


def test_registers_are_filtered_views_with_their_export(cases, client_for):
    client = client_for("officer_guet")
    listing = client.get("/cases/").content.decode()
    assert "/cases/registers/exemption-under-review/" in listing
    assert numbers(client.get("/cases/registers/exemption-under-review/")) == {cases["other"].number}
    assert numbers(client.get("/cases/registers/exemption-determinations/")) == set()
    response = client.get("/cases/registers/exemption-under-review/export/csv/")
    assert cases["other"].number in response.content.decode("utf-8-sig")
    assert client.get("/cases/registers/nothing/").status_code == 404
