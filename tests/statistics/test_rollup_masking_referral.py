"""The stored figures (built by the statistics job, stated as of their build), small counts masked for
supervisors, and the referral of a case to the supervisor that opens its file to them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import AttachmentFactory
from tests.statistics.test_statistics import _on, _tables, data_set  # noqa: F401 — the fixture
from tolerance.audit.models import AuditEvent
from tolerance.scheduling import scheduled_job
from tolerance.services.cases import case_stage_set
from tolerance.statistics.masking import table_masked
from tolerance.statistics.models import StatisticsPolicy, SupervisorReferral
from tolerance.statistics.registry import StatisticsTable
from tolerance.statistics.rollup import JOB_NAME, statistics_rollup_build
from workflows.steps.referrals import Referral

pytestmark = pytest.mark.django_db
BUREAU = "桂林市科学技术局"


def test_the_page_shows_the_figures_of_the_last_build(data_set, client_for):  # noqa: F811
    officer = client_for("officer_guet")
    with _on(datetime.date(2025, 12, 15)):
        scheduled_job(JOB_NAME).run(None)
    page = officer.get(reverse("statistics:page"))
    assert "统计截至" in page.content.decode()
    stages = {row[1]: row[2] for row in _tables(page)["by_stage"]}
    assert stages["调查核实中"] == 1
    # C moves on: the page keeps the build's figures until the job runs again.
    with _on(datetime.date(2025, 12, 16)):
        case_stage_set(case=data_set["c"], stage="committee_review")
    assert {row[1]: row[2] for row in _tables(officer.get(reverse("statistics:page")))["by_stage"]} == stages
    with _on(datetime.date(2025, 12, 16)):
        statistics_rollup_build()
    after = _tables(officer.get(reverse("statistics:page")))
    assert "调查核实中" not in {row[1] for row in after["by_stage"]}
    # Nothing is overdue any more, counted on the day of the build.
    assert after["overdue"] == []
    assert "2025-12-16" in officer.get(reverse("statistics:page")).content.decode()


def test_supervisors_see_small_counts_masked_and_officers_exact(data_set, client_for):  # noqa: F811
    with _on(datetime.date(2025, 12, 15)):
        statistics_rollup_build()
    supervisor = _tables(client_for("supervisor_city").get(reverse("statistics:page")))
    # Four exemption cases (3 GUET, 1 GXNU): shown; each stage holds one case: "<3".
    assert supervisor["by_type"] == [["容错免责认定", 4]]
    assert {row[2] for row in supervisor["by_stage"]} == {"<3"}
    # Investigation: 3 finished stays (2, 4, 9), committee review 1 (6): the one is masked with its median
    # and 90th percentile, and the 3 withheld with theirs, or the 3 + 1 of the stays would give it away.
    durations = {row[1]: row[2:] for row in supervisor["stage_durations"]}
    assert durations == {"委员会审议中": ["<3", "×", "×"], "调查核实中": ["×", "×", "×"]}
    rates = {row[0]: row[1:] for row in supervisor["exemption_rates"]}
    assert rates["免责"] == ["<3", "×"] and rates["完整性审查不予受理"] == ["<3", "×"]
    csv = client_for("supervisor_city").get(reverse("statistics:export", args=["by_stage", "csv"]))
    assert "<3" in csv.content.decode("utf-8-sig")

    # The home page's counts by institution too: GXNU's one case, and its total, are "<3"; GUET's 3 shown.
    home = {row["institution"].code: row for row in client_for("supervisor_city").get("/").context["statistics"]}
    assert (home["GXNU"]["total"], dict(home["GXNU"]["by_type"])["容错免责认定"]) == ("<3", "<3")
    assert home["GUET"]["total"] == 3

    officer = _tables(client_for("officer_guet").get(reverse("statistics:page")))
    assert {row[2] for row in officer["by_stage"]} == {1}
    assert {row[1]: row[2:] for row in officer["stage_durations"]}["调查核实中"] == [2, 2, 4]

    # The threshold is policy: at 2, the ones are still masked, as "<2".
    StatisticsPolicy.objects.create(pk=1, small_cell_threshold=2)
    assert {row[2] for row in _tables(client_for("supervisor_city").get(reverse("statistics:page")))["by_stage"]} == {
        "<2"
    }


def test_the_masking_rule():
    table = StatisticsTable(
        key="t", title="t", columns=["what", "n", "share"], rows=[["a", 1], ["b", 5], ["c", 7], ["d", 0]], counts=(1,)
    )
    # One masked in the column: the smallest other non-zero count is withheld too; zero stays.
    assert table_masked(table, 3).rows == [["a", "<3"], ["b", "×"], ["c", 7], ["d", 0]]
    two = StatisticsTable(key="t", title="t", columns=["what", "n"], rows=[["a", 1], ["b", 2], ["c", 7]], counts=(1,))
    assert table_masked(two, 3).rows == [["a", "<3"], ["b", "<3"], ["c", 7]]
    money = StatisticsTable(key="m", title="m", columns=["what", "yuan"], rows=[["due", Decimal("10.00")]], support=2)
    assert table_masked(money, 3).rows == [["due", "×"]]
    assert table_masked(StatisticsTable(key="m", title="m", columns=[], rows=money.rows, support=3), 3).rows == [
        ["due", Decimal("10.00")]
    ]


def test_a_supervisor_reads_the_file_only_after_the_referral_to_them(data_set, client_for, users):  # noqa: F811
    case = data_set["a"]
    attachment = AttachmentFactory(case=case, uploaded_by=users["officer_guet"])
    decision = case.decisions.get()
    # A referral of the person to 纪委办 is not a referral to the city: the file stays closed.
    Referral.objects.create(
        case=case,
        decision=decision,
        letter=decision,
        subject=case.subject_links.first(),
        to_department="discipline",
        outcome="not_exempt",
        ack_due=decision.issue_date,
    )
    supervisor = client_for("supervisor_city")
    download = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    trail = reverse("audit:case_trail_export", args=[case.pk, "csv"])
    assert supervisor.get(download).status_code == 404
    assert supervisor.get(trail).status_code == 403

    refer = reverse("statistics:refer", args=[case.pk])
    officer = client_for("officer_guet")
    assert "移送主管部门" in officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # Bad input and the wrong people change nothing.
    officer.post(refer, {"supervisor_body": BUREAU, "reason": ""})
    officer.post(refer, {"supervisor_body": "某某局", "reason": "x"})
    assert supervisor.post(refer, {"supervisor_body": BUREAU, "reason": "x"}).status_code == 403
    assert client_for("officer_gxnu").post(refer, {"supervisor_body": BUREAU, "reason": "x"}).status_code == 404
    assert not SupervisorReferral.objects.exists()
    assert supervisor.get(download).status_code == 404

    response = officer.post(refer, {"supervisor_body": BUREAU, "reason": "涉及市级项目资金，请主管部门研判"})
    assert response.status_code == 302
    referral = SupervisorReferral.objects.get()
    assert (referral.case, referral.referred_by, referral.supervisor_body) == (case, users["officer_guet"], BUREAU)
    event = AuditEvent.objects.filter(case_id=case.pk).order_by("-id").first()
    assert event.payload["what"] == "referred_to_supervisor" and event.payload["supervisor_body"] == BUREAU
    assert supervisor.get(download).status_code == 200
    assert supervisor.get(trail).status_code == 200
    page = supervisor.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "涉及市级项目资金" in page
    # Once to a body: a second referral is refused with a message.
    officer.post(refer, {"supervisor_body": BUREAU, "reason": "again"})
    assert SupervisorReferral.objects.count() == 1
    # Another case of the institution stays closed.
    other = data_set["b"]
    other_file = AttachmentFactory(case=other, uploaded_by=users["officer_guet"])
    assert supervisor.get(reverse("cases:attachment_download", args=[other.pk, other_file.pk])).status_code == 404
