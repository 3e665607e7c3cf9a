"""Departments' opinions (征求意见 / 联合研判) on a case of any type: a department is asked, answers in the
system by a working-day deadline, is reminded before it, and an unanswered request is recorded as lapsed
(逾期未反馈) when the case type moves on without it.

Rectification asks its configured departments during verification; the exemption asks the joint
mechanism of Jiangsu's guideline (科研、财务、国资、人事、纪检、审计) between investigation and evaluation.
Each case type registers an `OpinionStep`: the stages in which the departments may answer, the audit
form and the notice kind; what waits for the opinions (verification, the evaluation) is the case type's. The row, the notice,
the answer with its audit event, the reminder and the lapse are the same everywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, Department, DepartmentContact
from tolerance.notifications.services import notify
from tolerance.selectors.departments import department_contacts, departments_of
from tolerance.text import text_validate
from tolerance.working_days import add_working_days


class Opinion(models.TextChoices):
    AGREE = "agree", gettext_lazy("agrees")
    DISAGREE = "disagree", gettext_lazy("disagrees")
    NOTE = "note", gettext_lazy("note only")


class DepartmentRequest(models.Model):
    """A department asked for its opinion on a case; its contacts see the case because of it."""

    case = models.ForeignKey(
        "tolerance.Case",
        on_delete=models.PROTECT,
        related_name="department_requests",
        verbose_name=gettext_lazy("case"),
    )
    department = models.CharField(gettext_lazy("department"), max_length=20, choices=Department.choices)
    due_on = models.DateField(gettext_lazy("opinion due"))
    opinion = models.CharField(gettext_lazy("opinion"), max_length=10, choices=Opinion.choices, blank=True)
    text = models.TextField(gettext_lazy("opinion text"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(gettext_lazy("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(gettext_lazy("reminded at"), null=True, blank=True)
    # 逾期未反馈: the deadline passed and the case went on without this department's opinion.
    lapsed_at = models.DateTimeField(gettext_lazy("recorded as not answered at"), null=True, blank=True)

    class Meta:
        app_label = "workflows"
        verbose_name = gettext_lazy("department opinion")
        verbose_name_plural = gettext_lazy("department opinions")
        ordering = ["case", "department"]
        constraints = [models.UniqueConstraint(fields=["case", "department"], name="department_request_once")]

    def __str__(self):
        return f"{self.case.number} {self.department}"

    @property
    def state(self) -> str:
        if self.answered_at is not None:
            return self.get_opinion_display()
        if self.lapsed_at is not None:
            return _("no reply by the deadline")
        return _("awaited")


@dataclass(frozen=True)
class OpinionStep:
    """How a case type uses the departments' opinions."""

    stages: tuple[str, ...]  # the case stages in which a department may answer
    form: str  # the audit form name of an answer
    notice_kind: str  # the notification kind of a request and its reminder
    about: str  # what the opinion is on, in the request's notice ("the declared facts")


_steps: dict[str, OpinionStep] = {}


def register_opinion_step(case_type: str, step: OpinionStep) -> None:
    _steps[case_type] = step


def opinion_step(case: Case) -> OpinionStep:
    return _steps[case.case_type]


def opinion_request(*, case: Case, department: str, due) -> DepartmentRequest:
    """Ask one department (once per case) and tell its contacts; call inside the caller's transaction."""
    request, created = DepartmentRequest.objects.get_or_create(
        case=case, department=department, defaults={"due_on": due}
    )
    if created:
        label = Department(department).label
        about = opinion_step(case).about
        notify(
            recipients=department_contacts(case.institution, department),
            kind=opinion_step(case).notice_kind,
            event_key=f"{case.case_type}:opinion:{request.pk}",
            title=lambda: _("Opinion requested on case %(number)s") % {"number": case.number},
            body=lambda: (
                _("%(department)s is asked for its opinion on %(about)s by %(due)s.")
                % {"department": label, "about": about, "due": due}
            ),
            link=reverse("cases:detail", args=[case.pk]),
            case=case,
        )
    return request


def opinions_waiting(case: Case):
    """The requests still unanswered and not recorded as lapsed."""
    return case.department_requests.filter(answered_at__isnull=True, lapsed_at__isnull=True)


def opinions_waiting_check(case: Case) -> None:
    """Refuse to go on while a department has neither answered nor been recorded as lapsed."""
    waiting = [Department(r.department).label for r in opinions_waiting(case)]
    if waiting:
        raise ValidationError(
            _("Still waiting for the opinion of: %(departments)s.") % {"departments": "、".join(map(str, waiting))}
        )


def why_not_answerable(request: DepartmentRequest) -> str:
    if request.answered_at is not None:
        return _("The department has already given its opinion.")
    if request.lapsed_at is not None:
        return _("The deadline has passed; the opinion was recorded as not given.")
    if request.case.stage not in opinion_step(request.case).stages:
        return _("The case no longer takes the departments' opinions.")
    return ""


def opinion_give(*, request: DepartmentRequest, given_by, opinion: str, text: str) -> DepartmentRequest:
    """A contact of the department asked records its opinion, once, while the case takes opinions."""
    case = request.case
    if request.department not in departments_of(given_by, case.institution):
        raise ValidationError(_("Only a contact of the department asked can give its opinion."))
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": _("Choose one of the offered opinions.")})
    text_validate(text, label=_("opinion text"), multiline=True, field="text")
    if not text.strip():
        raise ValidationError({"text": _("State the department's opinion.")})
    step = opinion_step(case)
    with transaction.atomic():
        request = DepartmentRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
        problem = why_not_answerable(request)
        if problem:
            raise ValidationError(problem)
        request.opinion = opinion
        request.text = text
        request.answered_by = given_by
        request.answered_at = timezone.now()
        request.save(update_fields=["opinion", "text", "answered_by", "answered_at"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=given_by,
            case=case,
            target=request,
            payload={"form": step.form, "department": request.department, "opinion": opinion, "text": text},
        )
    return request


def opinions_lapse(case: Case) -> list[str]:
    """Record every request still waiting as 逾期未反馈 (one audit event); returns their departments."""
    with transaction.atomic():
        waiting = list(opinions_waiting(case).select_for_update())
        if not waiting:
            return []
        now = timezone.now()
        DepartmentRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(lapsed_at=now)
        departments = [r.department for r in waiting]
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            payload={"change": "opinions_lapsed", "departments": departments},
        )
    return departments


def opinions_remind(now, *, case_type: str, before_working_days: Callable) -> int:
    """Remind each department once, `before_working_days(case)` working days before its opinion is due."""
    today = timezone.localdate(now)
    done = 0
    pending = (
        DepartmentRequest.objects.filter(
            case__case_type=case_type, answered_at__isnull=True, lapsed_at__isnull=True, reminded_at__isnull=True
        )
        .filter(due_on__gte=today)
        .select_related("case__institution")
    )
    for request in pending:
        days = before_working_days(request.case)
        if days is None or add_working_days(today, days) < request.due_on:
            continue
        if request.case.stage not in opinion_step(request.case).stages:
            continue
        with transaction.atomic():
            if DepartmentRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(reminded_at=now):
                case = request.case
                notify(
                    recipients=department_contacts(case.institution, request.department),
                    kind=opinion_step(case).notice_kind,
                    event_key=f"{case.case_type}:opinion:{request.pk}:reminder",
                    title=lambda case=case, request=request: (
                        _("The opinion on case %(number)s is due on %(due)s")
                        % {"number": case.number, "due": request.due_on}
                    ),
                    link=reverse("cases:detail", args=[case.pk]),
                    case=case,
                )
                audit_record(
                    action=AuditAction.CASE_UPDATED,
                    actor=None,
                    case=case,
                    target=request,
                    payload={"change": "opinion_reminded", "department": request.department},
                )
                done += 1
    return done


def asked_cases(user) -> Q:
    """For the visibility selector: a department contact sees the cases their department was asked about."""
    asked = Q(pk__in=[])
    for institution_id, department in DepartmentContact.objects.filter(user=user, is_active=True).values_list(
        "institution_id", "department"
    ):
        asked |= Q(case__institution_id=institution_id, department=department)
    return Q(pk__in=DepartmentRequest.objects.filter(asked).values("case_id"))
