"""Bulk-inserted exemption and rectification cases (Case + Process + Task rows, and the rectification's
details and items) for list benchmarks and list tests.

Driving the real flow costs ~30 statements per step; 100,000 cases need raw bulk inserts. The rows
look like a busy year: every case filed and checked, then waiting in the queue, claimed by an officer
(inbox), or further on with the officer's finished investigation (archive).

The rows carry the values tests/factories.py gives a case (title, subject role, a number taken from the
case number sequence), checked by tests/test_factories.py; only the way they are written differs.
"""

import datetime

from django.db.models import Max
from django.utils import timezone
from viewflow.workflow import PROCESS, STATUS

from tolerance.models import Case, CaseNumberSequence, CaseSubject, CaseType
from tolerance.services.cases import case_number_format
from workflows.exemption.models import ExemptionStage

BATCH = 2000
SEED_YEAR = 2001  # far from any year real filings allocate numbers in
SUBJECT_ROLE = "项目负责人"


def seeded_case_title(index: int) -> str:
    return f"成果转化失败容错免责认定（{index}）"


def seed_exemption_cases(
    *, flow_class, count: int, institutions, filer, reviewer, investigator, subject, year=SEED_YEAR
):
    """Insert `count` cases, spread over `institutions` in turn; returns the Case ids inserted.

    `filer`, `reviewer`, `investigator` and `subject` are dicts by institution code (a user each).
    """
    from viewflow.workflow.models import Process, Task

    flow = flow_class.instance
    base_time = timezone.now() - datetime.timedelta(days=365)
    # Numbers come out of the case number sequence, as filing takes them, so later filings continue it.
    sequences = {code: _number_sequence(institution, year) for code, institution in institutions.items()}
    next_sequence = {code: sequence.last_value + 1 for code, sequence in sequences.items()}
    codes = list(institutions)
    case_ids = []
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        plan = []
        for offset in range(size):
            index = start + offset
            code = codes[index % len(codes)]
            plan.append((index, code, next_sequence[code]))
            next_sequence[code] += 1
        processes = Process.objects.bulk_create(
            [
                Process(
                    flow_class=flow_class, status=PROCESS.NEW, created=base_time + datetime.timedelta(minutes=index)
                )
                for index, _code, _sequence in plan
            ]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    institution=institutions[code],
                    case_type=CaseType.EXEMPTION,
                    year=year,
                    sequence=sequence,
                    number=case_number_format(
                        institution_code=institutions[code].code,
                        case_type=CaseType.EXEMPTION,
                        year=year,
                        sequence=sequence,
                    ),
                    title=seeded_case_title(index),
                    filed_by=filer[code],
                    process=process,
                    stage=ExemptionStage.INVESTIGATION,
                )
                for (index, code, sequence), process in zip(plan, processes, strict=True)
            ]
        )
        CaseSubject.objects.bulk_create(
            [
                CaseSubject(case=case, user=subject[code], role_in_case=SUBJECT_ROLE)
                for (_i, code, _s), case in zip(plan, cases, strict=True)
            ]
        )
        Task.objects.bulk_create(
            [
                task
                for (index, code, _sequence), process in zip(plan, processes, strict=True)
                for task in _case_tasks(
                    flow, process, index, filer=filer[code], reviewer=reviewer[code], investigator=investigator[code]
                )
            ]
        )
        case_ids.extend(case.pk for case in cases)
    for code, sequence in sequences.items():
        sequence.last_value = next_sequence[code] - 1
        sequence.save(update_fields=["last_value"])
    return case_ids


def _number_sequence(institution, year, case_type=CaseType.EXEMPTION):
    """The institution's number sequence of `case_type` for `year`, caught up with cases already in the table
    (a database seeded before the seed kept the sequence has the cases but no sequence row)."""
    sequence, _created = CaseNumberSequence.objects.get_or_create(
        institution=institution, case_type=case_type, year=year
    )
    cases = Case.objects.filter(institution=institution, case_type=case_type, year=year)
    sequence.last_value = max(sequence.last_value, cases.aggregate(last=Max("sequence"))["last"] or 0)
    return sequence


def _case_tasks(flow, process, index, *, filer, reviewer, investigator):
    from viewflow.workflow.models import Task

    at = process.created
    officer_permission = _task_permission(flow.investigate)
    done = [
        Task(
            process=process,
            flow_task=flow.start,
            flow_task_type="HUMAN",
            status=STATUS.DONE,
            owner=filer,
            created=at,
            finished=at,
        ),
        Task(
            process=process,
            flow_task=flow.check_completeness,
            flow_task_type="HUMAN",
            status=STATUS.DONE,
            owner=reviewer,
            owner_permission=officer_permission,
            created=at,
            finished=at,
        ),
    ]
    stage = index % 3
    if stage == 0:
        current = Task(
            process=process,
            flow_task=flow.investigate,
            flow_task_type="HUMAN",
            status=STATUS.NEW,
            owner_permission=officer_permission,
            created=at,
        )
    elif stage == 1:
        current = Task(
            process=process,
            flow_task=flow.investigate,
            flow_task_type="HUMAN",
            status=STATUS.ASSIGNED,
            owner=investigator,
            owner_permission=officer_permission,
            created=at,
            assigned=at,
        )
    else:
        done.append(
            Task(
                process=process,
                flow_task=flow.investigate,
                flow_task_type="HUMAN",
                status=STATUS.DONE,
                owner=investigator,
                owner_permission=officer_permission,
                created=at,
                finished=at,
            )
        )
        current = Task(
            process=process,
            flow_task=flow.evaluate,
            flow_task_type="HUMAN",
            status=STATUS.NEW,
            owner_permission=_task_permission(flow.evaluate),
            created=at,
        )
    return [*done, current]


def _task_permission(node) -> str | None:
    """The model-wide permission the node's tasks carry (`.Permission("app.codename")`)."""
    permission = getattr(node, "_owner_permission", None)
    return permission if isinstance(permission, str) else None


def seeded_rectification_title(index: int) -> str:
    return f"过往创业行为合规整改（{index}）"


def seed_rectification_cases(*, flow_class, count: int, institutions, filer, reviewer, subject, year=SEED_YEAR):
    """Insert `count` rectification cases under way, spread over `institutions` in turn: each declared,
    accepted and planned, with one G01 item verified by 人事处 and the flow waiting for the items; a third
    of the items have evidence waiting for acceptance, a third are returned. Dicts by institution code."""
    from viewflow.workflow.models import Process, Task

    from tolerance.models import Department
    from workflows.rectification.catalogue import CatalogueItemKind
    from workflows.rectification.models import (
        ActivityKind,
        ItemStatus,
        ItemVerifier,
        LeadSource,
        Origin,
        RectificationDetails,
        RectificationItem,
        RectificationStage,
    )
    from workflows.rectification.policy import catalogue_current

    flow = flow_class.instance
    base_time = timezone.now() - datetime.timedelta(days=365)
    catalogues = {code: catalogue_current(institution) for code, institution in institutions.items()}
    gaps = {code: catalogue.items.get(kind=CatalogueItemKind.GAP, code="G01") for code, catalogue in catalogues.items()}
    sequences = {
        code: _number_sequence(institution, year, CaseType.RECTIFICATION) for code, institution in institutions.items()
    }
    next_sequence = {code: sequence.last_value + 1 for code, sequence in sequences.items()}
    codes = list(institutions)
    today = timezone.localdate()
    statuses = (ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.RETURNED)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        plan = []
        for offset in range(size):
            index = start + offset
            code = codes[index % len(codes)]
            plan.append((index, code, next_sequence[code]))
            next_sequence[code] += 1
        processes = Process.objects.bulk_create(
            [
                Process(
                    flow_class=flow_class, status=PROCESS.NEW, created=base_time + datetime.timedelta(minutes=index)
                )
                for index, _code, _sequence in plan
            ]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    institution=institutions[code],
                    case_type=CaseType.RECTIFICATION,
                    year=year,
                    sequence=sequence,
                    number=case_number_format(
                        institution_code=institutions[code].code,
                        case_type=CaseType.RECTIFICATION,
                        year=year,
                        sequence=sequence,
                    ),
                    title=seeded_rectification_title(index),
                    filed_by=filer[code],
                    process=process,
                    stage=RectificationStage.RECTIFYING,
                    next_due=today + datetime.timedelta(days=index % 60),
                )
                for (index, code, sequence), process in zip(plan, processes, strict=True)
            ]
        )
        CaseSubject.objects.bulk_create(
            [
                CaseSubject(case=case, user=subject[code], role_in_case="当事人")
                for (_i, code, _s), case in zip(plan, cases, strict=True)
            ]
        )
        RectificationDetails.objects.bulk_create(
            [
                RectificationDetails(
                    case=case,
                    catalogue=catalogues[code],
                    origin=Origin.OFFICER_FILED,
                    lead_source=LeadSource.ANNUAL_CHECK,
                    declared_on=base_time.date(),
                    activity_kind=ActivityKind.OWN_VENTURE,
                    company_name="桂林漓江微电子科技有限公司",
                    company_uscc="91450300MA5K8R3X06",
                    role="法定代表人",
                    equity_percent=30,
                    started_on=datetime.date(2022, 3, 1),
                    account="在职创办企业未经审批。",
                    gaps_confirmed=True,
                )
                for (_i, code, _s), case in zip(plan, cases, strict=True)
            ]
        )
        items = RectificationItem.objects.bulk_create(
            [
                RectificationItem(
                    case=case,
                    gap=gaps[code],
                    order=1,
                    finding="在职创办企业未经学校审批。",
                    severity=gaps[code].default_severity,
                    remedy=gaps[code].remedy,
                    evidence_required=gaps[code].evidence_required,
                    deadline=gaps[code].deadline,
                    deadline_unit=gaps[code].deadline_unit,
                    verifier=Department.HR,
                    due_on=today + datetime.timedelta(days=index % 60),
                    status=statuses[index % 3],
                )
                for (index, code, _s), case in zip(plan, cases, strict=True)
            ]
        )
        ItemVerifier.objects.bulk_create(
            [ItemVerifier(item=item, case_id=item.case_id, department=Department.HR) for item in items]
        )
        Task.objects.bulk_create(
            [
                task
                for (_index, code, _sequence), process in zip(plan, processes, strict=True)
                for task in _rectification_tasks(flow, process, filer=filer[code], reviewer=reviewer[code])
            ]
        )
    for code, sequence in sequences.items():
        sequence.last_value = next_sequence[code] - 1
        sequence.save(update_fields=["last_value"])


def _rectification_tasks(flow, process, *, filer, reviewer):
    from viewflow.workflow.models import Task

    at = process.created
    done = dict(flow_task_type="HUMAN", status=STATUS.DONE, created=at, finished=at, process=process)
    return [
        Task(flow_task=flow.start, owner=filer, **{**done, "flow_task_type": "HUMAN_START"}),
        Task(flow_task=flow.check_acceptance, owner=reviewer, **done),
        Task(flow_task=flow.issue_notice, owner=filer, **done),
        Task(
            process=process,
            flow_task=flow.await_rectification,
            flow_task_type="FUNCTION",
            status=STATUS.NEW,
            created=at,
        ),
    ]
