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
    flow = flow_class.instance
    return _seed_cases(
        flow_class=flow_class,
        count=count,
        institutions=institutions,
        filer=filer,
        subject=subject,
        subject_role=SUBJECT_ROLE,
        year=year,
        case=lambda index, code: {
            "case_type": CaseType.EXEMPTION,
            "title": seeded_case_title(index),
            "stage": ExemptionStage.INVESTIGATION,
        },
        tasks=lambda index, code, process: _case_tasks(
            flow, process, index, filer=filer[code], reviewer=reviewer[code], investigator=investigator[code]
        ),
    )


def _seed_cases(*, flow_class, count, institutions, filer, subject, subject_role, year, case, tasks, rows=None):
    """The bulk insert every case type shares: numbered cases from the number sequence, each with its process,
    its subject and its tasks, spread over `institutions` in turn. `case(index, code)` gives a case's own
    fields, `tasks(index, code, process)` its Task rows, and `rows(plan, cases)`, if given, inserts the case
    type's own rows of a batch. Returns the Case ids inserted."""
    from viewflow.workflow.models import Process, Task

    base_time = timezone.now() - datetime.timedelta(days=365)
    case_type = case(0, next(iter(institutions)))["case_type"]
    # Numbers come out of the case number sequence, as filing takes them, so later filings continue it.
    sequences = {code: _number_sequence(institution, year, case_type) for code, institution in institutions.items()}
    next_sequence = {code: sequence.last_value + 1 for code, sequence in sequences.items()}
    codes = list(institutions)
    case_ids = []
    for start in range(0, count, BATCH):
        plan = []
        for index in range(start, min(start + BATCH, count)):
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
                    year=year,
                    sequence=sequence,
                    number=case_number_format(
                        institution_code=institutions[code].code, case_type=case_type, year=year, sequence=sequence
                    ),
                    filed_by=filer[code],
                    process=process,
                    **case(index, code),
                )
                for (index, code, sequence), process in zip(plan, processes, strict=True)
            ]
        )
        CaseSubject.objects.bulk_create(
            [
                CaseSubject(case=case_row, user=subject[code], role_in_case=subject_role)
                for (_i, code, _s), case_row in zip(plan, cases, strict=True)
            ]
        )
        if rows is not None:
            rows(plan, cases)
        Task.objects.bulk_create(
            [
                task
                for (index, code, _sequence), process in zip(plan, processes, strict=True)
                for task in tasks(index, code, process)
            ]
        )
        case_ids.extend(case_row.pk for case_row in cases)
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
    """Filed and checked; then (by `index`) queued for the investigation, claimed, or investigated and queued
    for the evaluation."""
    officer = _task_permission(flow.investigate)
    done = [
        _task(process, flow.start, STATUS.DONE, owner=filer),
        _task(process, flow.check_completeness, STATUS.DONE, owner=reviewer, owner_permission=officer),
    ]
    stage = index % 3
    if stage == 0:
        return [*done, _task(process, flow.investigate, STATUS.NEW, owner_permission=officer)]
    if stage == 1:
        claimed = _task(process, flow.investigate, STATUS.ASSIGNED, owner=investigator, owner_permission=officer)
        claimed.assigned = process.created
        return [*done, claimed]
    return [
        *done,
        _task(process, flow.investigate, STATUS.DONE, owner=investigator, owner_permission=officer),
        _task(process, flow.evaluate, STATUS.NEW, owner_permission=_task_permission(flow.evaluate)),
    ]


def _task(process, node, status, *, task_type="HUMAN", **fields):
    """A task row of `node` created with its process (and finished then, if done)."""
    from viewflow.workflow.models import Task

    at = process.created
    finished = at if status == STATUS.DONE else None
    return Task(
        process=process,
        flow_task=node,
        flow_task_type=task_type,
        status=status,
        created=at,
        finished=finished,
        **fields,
    )


def _task_permission(node) -> str | None:
    """The model-wide permission the node's tasks carry (`.Permission("app.codename")`)."""
    permission = getattr(node, "_owner_permission", None)
    return permission if isinstance(permission, str) else None


def seeded_rectification_title(index: int) -> str:
    return f"过往创业行为合规整改（{index}）"


def seed_rectification_cases(*, flow_class, count: int, institutions, filer, reviewer, subject, year=SEED_YEAR):
    """Insert `count` rectification cases under way, spread over `institutions` in turn: each declared,
    accepted and planned, with one G01 item verified by 人事处 and the flow waiting for the items; a third
    of the items have evidence waiting for acceptance, a third are returned. Dicts by institution code;
    returns the Case ids inserted."""
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
    declared_on = (timezone.now() - datetime.timedelta(days=365)).date()
    catalogues = {code: catalogue_current(institution) for code, institution in institutions.items()}
    gaps = {code: catalogue.items.get(kind=CatalogueItemKind.GAP, code="G01") for code, catalogue in catalogues.items()}
    today = timezone.localdate()
    statuses = (ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.RETURNED)

    def details_and_items(plan, cases):
        RectificationDetails.objects.bulk_create(
            [
                RectificationDetails(
                    case=case,
                    catalogue=catalogues[code],
                    origin=Origin.OFFICER_FILED,
                    lead_source=LeadSource.ANNUAL_CHECK,
                    declared_on=declared_on,
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

    return _seed_cases(
        flow_class=flow_class,
        count=count,
        institutions=institutions,
        filer=filer,
        subject=subject,
        subject_role="当事人",
        year=year,
        case=lambda index, code: {
            "case_type": CaseType.RECTIFICATION,
            "title": seeded_rectification_title(index),
            "stage": RectificationStage.RECTIFYING,
            "next_due": today + datetime.timedelta(days=index % 60),
        },
        tasks=lambda index, code, process: _rectification_tasks(
            flow, process, filer=filer[code], reviewer=reviewer[code]
        ),
        rows=details_and_items,
    )


def _rectification_tasks(flow, process, *, filer, reviewer):
    return [
        _task(process, flow.start, STATUS.DONE, task_type="HUMAN_START", owner=filer),
        _task(process, flow.check_acceptance, STATUS.DONE, owner=reviewer),
        _task(process, flow.issue_notice, STATUS.DONE, owner=filer),
        _task(process, flow.await_rectification, STATUS.NEW, task_type="FUNCTION"),
    ]
