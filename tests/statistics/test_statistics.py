"""Statistics, the annual report and what a supervisor sees, on a small data set whose figures are counted
by hand in the comments."""

import datetime
import hashlib
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import AttachmentFactory, CaseFactory
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision
from tolerance.decisions.verification import decision_verify_file
from tolerance.file_store import file_store_read
from tolerance.models import CaseStageSpell
from tolerance.services.cases import case_stage_set
from tolerance.statistics.registry import percentile
from tolerance.statistics.rollup import statistics_rollup_build

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.mark.parametrize(
    ("histogram", "median", "p90"),
    [({2: 1, 4: 1}, 2, 4), ({1: 1, 2: 1, 3: 1, 4: 1}, 2, 4), ({5: 10}, 5, 5), ({1: 9, 30: 1}, 1, 1), ({}, None, None)],
)
def test_percentile_nearest_rank(histogram, median, p90):
    from decimal import Decimal

    assert percentile(histogram, Decimal("0.5")) == median
    assert percentile(histogram, Decimal("0.9")) == p90


def _on(day):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def _decision(case, *, outcome, issued):
    """A decision row as issuing leaves it (the statistics read its kind, outcome and date only)."""
    digest = hashlib.sha256(f"{case.pk}{outcome}".encode()).hexdigest()
    return Decision.objects.create(
        case=case,
        institution=case.institution,
        kind="exemption",
        outcome=outcome,
        year=issued.year,
        sequence=case.pk,
        document_number=f"T-{case.pk}",
        verification_code=digest[:11],
        issue_date=issued,
        appeal_deadline=issued,
        sha256=digest,
        size=1,
        page_count=1,
        signer_fingerprint="x",
        signer_subject="x",
        signed_at=timezone.now(),
        signature_level="B-B",
        issued_by=case.filed_by,
        issued_at=timezone.now(),
    )


@pytest.fixture
def data_set(users, guet, gxnu):
    """GUET 2025: three exemption cases. A: investigation 30 Sep → 10 Oct (国庆 1–8 Oct off: 9, 10 Oct = 2
    working days), committee review 10 → 17 Oct (11 Oct is a 调休 Saturday: 11, 13–17 = 6), decided exempt.
    B: investigation 3 → 7 Mar (4), then refused at intake. C: in investigation, overdue since 1 Dec.
    GXNU 2025: one exemption case D, in investigation, 3 → 14 Mar (9)."""
    officer = users["officer_guet"]
    a, b, c = (CaseFactory(institution=guet, filed_by=officer, year=YEAR) for _ in range(3))
    for case, moves in (
        (a, [("2025-09-30", "investigation"), ("2025-10-10", "committee_review"), ("2025-10-17", "appeal_window")]),
        (b, [("2025-03-03", "investigation"), ("2025-03-07", "refused")]),
        (c, [("2025-11-03", "investigation")]),
    ):
        for day, stage in moves:
            with _on(datetime.date.fromisoformat(day)):
                case_stage_set(case=case, stage=stage)
    c.next_due = datetime.date(2025, 12, 1)
    c.save(update_fields=["next_due"])
    _decision(a, outcome="exempt", issued=datetime.date(2025, 10, 20))
    d = CaseFactory(institution=gxnu, filed_by=users["officer_gxnu"], year=YEAR)
    with _on(datetime.date(2025, 3, 3)):
        case_stage_set(case=d, stage="investigation")
    with _on(datetime.date(2025, 3, 14)):
        case_stage_set(case=d, stage="committee_review")
    return {"a": a, "b": b, "c": c, "d": d}


def _tables(response):
    return {table.key: table.rows for table, _chart in response.context["sections"]}


def test_figures_equal_the_hand_computed_ones(data_set, client_for):
    a = data_set["a"]
    spells = list(CaseStageSpell.objects.filter(case=a).values_list("stage", "working_days"))
    assert spells == [("investigation", 2), ("committee_review", 6), ("appeal_window", None)]

    with _on(datetime.date(2025, 12, 15)):
        statistics_rollup_build()
    response = client_for("officer_guet").get(reverse("statistics:page"), {"year_from": YEAR, "year_to": YEAR})
    assert response.status_code == 200
    tables = _tables(response)
    assert tables["by_type"] == [["容错免责认定", 3]]
    assert tables["by_year"] == [["2025", 3]]
    durations = {row[1]: row[2:] for row in tables["stage_durations"]}
    # Investigation stays of A and B: 2 and 4 working days (D is GXNU's and not counted).
    assert durations["调查核实中"] == [2, 2, 4]
    assert durations["委员会审议中"] == [1, 6, 6]
    assert tables["overdue"] == [["容错免责认定", "调查核实中", 1]]
    assert tables["by_outcome"] == [["容错免责认定", "免责", 1]]
    rates = {row[0]: row[1:] for row in tables["exemption_rates"]}
    # Concluded: A exempt and B refused at intake, 50 % each.
    assert [str(value) for value in rates["免责"]] == ["1", "50.0"]
    assert [str(value) for value in rates["完整性审查不予受理"]] == ["1", "50.0"]


def test_an_officer_sees_only_their_institution(data_set, client_for):
    statistics_rollup_build()
    response = client_for("officer_gxnu").get(reverse("statistics:page"), {"institution": data_set["a"].institution_id})
    tables = _tables(response)
    # The institution filter is not offered to an officer: GXNU's one case, none of GUET's three.
    assert tables["by_type"] == [["容错免责认定", 1]]
    assert [row[1:] for row in tables["stage_durations"] if row[1] == "调查核实中"] == [["调查核实中", 1, 9, 9]]
    assert "institution" not in response.context["form"].fields

    supervisor = client_for("supervisor_city")
    everything = _tables(supervisor.get(reverse("statistics:page")))
    assert everything["by_type"] == [["容错免责认定", 4]]
    guet_only = _tables(supervisor.get(reverse("statistics:page"), {"institution": data_set["a"].institution_id}))
    assert guet_only["by_type"] == [["容错免责认定", 3]]
    assert client_for("researcher_zhang").get(reverse("statistics:page")).status_code == 403


def test_licence_money_equals_the_hand_computed_sums(users, guet, client_for):
    """Overdue is summed per instalment: an overpaid one does not offset another's arrears, a corrected
    receipt counts no more, a lapsed (waived) instalment is not due."""
    from decimal import Decimal

    from tolerance.models import CaseType
    from workflows.licensing.ledger import DueStatus, PaymentDue, Receipt

    officer = users["officer_guet"]
    case = CaseFactory(institution=guet, filed_by=officer, year=YEAR, case_type=CaseType.PAY_AFTER_USE)

    def due(sequence, amount, day, **extra):
        return PaymentDue.objects.create(
            case=case, sequence=sequence, basis="x", amount=Decimal(amount), due_on=day, **extra
        )

    def receipt(for_due, amount, day, **extra):
        return Receipt.objects.create(
            due=for_due, amount=Decimal(amount), received_on=day, voucher_number="v", recorded_by=officer, **extra
        )

    first, second, third = (
        due(n, amount, datetime.date(2025, n + 5, 1)) for n, amount in ((1, "1000"), (2, "500"), (3, "300"))
    )
    due(4, "999", datetime.date(2025, 9, 1), status=DueStatus.WAIVED)
    receipt(first, "400", datetime.date(2025, 6, 10))  # 600 overdue
    receipt(second, "800", datetime.date(2025, 7, 1))  # overpaid by 300: 0 overdue, not −300
    wrong = receipt(third, "300", datetime.date(2025, 8, 1))
    receipt(third, "100", datetime.date(2025, 8, 5), corrects=wrong)  # 200 overdue
    with _on(datetime.date(2025, 12, 15)):
        statistics_rollup_build()
    response = client_for("officer_guet").get(reverse("statistics:page"), {"year_from": YEAR, "year_to": YEAR})
    # Due 1000 + 500 + 300; received 400 + 800 + 100; overdue 600 + 0 + 200.
    assert [row[1] for row in _tables(response)["licensing_money"]] == [
        Decimal("1800.00"),
        Decimal("1300.00"),
        Decimal("800.00"),
    ]


def test_charts_and_exports(data_set, client_for):
    statistics_rollup_build()
    client = client_for("officer_guet")
    page = client.get(reverse("statistics:page")).content.decode()
    assert "<svg" in page and "<script" not in page.split('id="table-by_type"')[1].split("</section>")[0]
    before = AuditEvent.objects.count()
    csv = client.get(reverse("statistics:export", args=["by_type", "csv"]))
    assert csv.status_code == 200 and "容错免责认定,3" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("statistics:export", args=["overdue", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "1"
    assert AuditEvent.objects.count() == before + 2
    assert client.get(reverse("statistics:export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("statistics:page"), {"year_from": "abc", "year_to": "1"}).status_code == 200


def test_annual_report_verifies_and_matches_the_xlsx_and_the_page(data_set, client_for, guet):
    client = client_for("officer_guet")
    response = client.post(reverse("statistics:annual_issue"), {"year": YEAR, "institution": guet.code})
    assert response.status_code == 302
    report = Decision.objects.get(kind="annual")
    assert report.case is None and report.institution == guet
    result = decision_verify_file(data=file_store_read(report.storage_name))
    assert result.genuine, result.problems
    tables = {table["key"]: table["rows"] for table in report.content["tables"]}
    filed = {label: n for label, n in tables["by_type"]}
    assert (filed["容错免责认定"], filed["离岗创业合规整改"], filed["先使用后付费"]) == (3, 0, 0)
    assert tables["decided"] == [["容错免责认定", "免责", 1]]

    xlsx = client.get(reverse("statistics:annual_xlsx"), {"year": YEAR, "institution": guet.code})
    cells = [
        [value for value in row if value is not None]
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    ]
    # Every row of every table the sealed PDF records stands in the XLSX (numbers as numbers).
    for table in report.content["tables"]:
        for row in table["rows"]:
            assert [value for value in row if value is not None] in cells

    page = _tables(client.get(reverse("statistics:page"), {"year_from": YEAR, "year_to": YEAR}))
    assert [row for row in tables["by_type"] if row[1]] == page["by_type"]
    # The same year again gives the same figures, whatever happened since.
    with _on(datetime.date(2026, 3, 1)):
        case_stage_set(case=data_set["c"], stage="committee_review")
    client.post(reverse("statistics:annual_issue"), {"year": YEAR, "institution": guet.code})
    again = Decision.objects.filter(kind="annual").order_by("-id").first()
    assert again.content["tables"] == report.content["tables"]
    # The supervisor's report for the whole deployment is sealed by the deployment and verifies too.
    client_for("supervisor_city").post(reverse("statistics:annual_issue"), {"year": YEAR})
    deployment = Decision.objects.filter(kind="annual", institution=None).get()
    assert decision_verify_file(data=file_store_read(deployment.storage_name)).genuine
    assert {label: n for label, n in deployment.content["tables"][0]["rows"]}["容错免责认定"] == 4
    # Another institution's officer may not report on GUET; a future year is refused.
    other = client_for("officer_gxnu")
    other.post(reverse("statistics:annual_issue"), {"year": YEAR, "institution": guet.code})
    other.post(reverse("statistics:annual_issue"), {"year": timezone.localdate().year + 1})
    assert Decision.objects.filter(kind="annual").count() == 3
    assert other.get(reverse("statistics:annual_pdf", args=[report.pk])).status_code == 404


def test_supervisor_sees_no_case_file(data_set, client_for, users):
    case = data_set["a"]
    attachment = AttachmentFactory(case=case, uploaded_by=users["officer_guet"])
    supervisor = client_for("supervisor_city")
    page = supervisor.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and case.number in page.content.decode()
    assert attachment.original_name not in page.content.decode()
    assert "张三" not in page.content.decode()
    download = supervisor.get(reverse("cases:attachment_download", args=[case.pk, attachment.pk]))
    assert download.status_code == 404
    trail = supervisor.get(reverse("audit:case_trail_export", args=[case.pk, "csv"]))
    assert trail.status_code == 403
    vote = supervisor.get(reverse("case_actions:vote", args=[case.pk]))
    assert vote.status_code in (403, 404)
    # The institution's officer still reads all of it.
    officer = client_for("officer_guet")
    assert officer.get(reverse("cases:attachment_download", args=[case.pk, attachment.pk])).status_code == 200
    assert officer.get(reverse("audit:case_trail_export", args=[case.pk, "csv"])).status_code == 200
