"""What 离岗创业合规整改 adds when the app is ready: its case type and decision kinds, the visibility of its
cases to the departments asked about them, its notification kinds and daily sweeps, the permissions each
role needs, and how its forms and evidence read in a case's history."""

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.attachment_categories import register_attachment_categories
from tolerance.audit.timeline import register_form_titles
from tolerance.models import CaseType, DepartmentContact
from tolerance.notifications.kinds import register_notification_kind
from tolerance.scheduling import register_job
from tolerance.selectors.cases import register_attachment_visibility, register_case_visibility
from tolerance.selectors.departments import departments_of
from workflows.rectification import case_type, notices, results, statement, statistics, sweeps
from workflows.rectification.models import ItemEvidence, ItemVerifier, RectificationStage
from workflows.steps.department_opinions import OpinionStep, register_opinion_step
from workflows.steps.referrals import referrals_of_type, register_referral_sweep
from workflows.steps.setup import APPEAL_ATTACHMENT_CATEGORIES

PROCESS_VIEW = {"workflows.view_rectificationprocess"}
POLICY_VIEW = {"workflows.view_catalogueversion", "workflows.view_catalogueitem"}
POLICY_EDIT = POLICY_VIEW | {
    "workflows.add_catalogueversion",
    "workflows.change_catalogueversion",
    "workflows.add_catalogueitem",
    "workflows.change_catalogueitem",
}
FORM_TITLES = {
    "rectification_declaration": _("rectification declaration"),
    "rectification_acceptance": _("acceptance check"),
    "rectification_opinion": _("department opinion"),
    "rectification_verification": _("verified facts"),
    "rectification_gaps": _("gap list and plan"),
    "rectification_gap_confirmation": _("confirmation of the gap list"),
    "rectification_evidence": _("rectification evidence"),
    "rectification_acceptance_item": _("acceptance of a rectification item"),
    "rectification_extension_request": _("extension request"),
    "rectification_extension_decision": _("decision on an extension"),
    "rectification_register": _("register entry"),
    "rectification_supplement": _("supplementary materials"),
    "rectification_suspension": _("suspension"),
    "rectification_resumption": _("resumption"),
    "rectification_termination": _("closure on the discipline inspection's result"),
    "rectification_referral_acknowledgement": _("acknowledgement of a referral"),
    "rectification_statement": _("statement on the gap list"),
    "rectification_statement_answer": _("answer to the statement on the gap list"),
    "rectification_commitment": _("rectification commitment"),
}
SWEEP_EVERY = timedelta(hours=1)


def department_cases(user) -> Q:
    """A department contact sees the cases their department verifies an item of or was referred (the
    cases it was asked an opinion on are the shared steps' rule, department_opinions.asked_cases)."""
    mine = DepartmentContact.objects.filter(user=user, is_active=True).values_list("institution_id", "department")
    verifies = Q(pk__in=[])
    for institution_id, department in mine:
        # The institution on the case row, the department on the verifier's own (department, case) index.
        verifies |= Q(
            institution_id=institution_id,
            pk__in=ItemVerifier.objects.filter(department=department).values("case_id"),
        )
    referred = Q(pk__in=[])
    for institution_id, department in mine:
        referred |= Q(case__institution_id=institution_id, to_department=department)
    return verifies | (Q(pk__in=referrals_of_type(CaseType.RECTIFICATION).filter(referred).values("case_id")))


def department_attachments(user, case):
    """Of a rectification case, a department contact sees the evidence of the items their department
    verifies, nothing else (not the declaration, not the other departments' items)."""
    if case.case_type != CaseType.RECTIFICATION:
        return None
    mine = departments_of(user, case.institution)
    return Q(
        pk__in=ItemEvidence.objects.filter(item__case=case)
        .filter(Q(item__verifier__in=mine) | Q(item__verifiers__department__in=mine))
        .values("attachment_id")
    )


def register() -> None:
    case_type.register()
    statistics.register()
    register_case_visibility(roles.DEPARTMENT_CONTACT, department_cases)
    register_attachment_visibility(roles.DEPARTMENT_CONTACT, department_attachments)
    register_opinion_step(
        CaseType.RECTIFICATION,
        OpinionStep(
            stages=(RectificationStage.VERIFICATION,),
            form="rectification_opinion",
            notice_kind=notices.OPINION_REQUESTED,
            about=_("the declared facts"),
        ),
    )
    for code, label in notices.KINDS.items():
        register_notification_kind(code, label)
    register_job("rectification.item_deadlines", every=SWEEP_EVERY, run=sweeps.item_deadlines_sweep)
    register_job("rectification.register_expiry", every=SWEEP_EVERY, run=sweeps.register_expiry_sweep)
    register_job("rectification.supplements", every=SWEEP_EVERY, run=sweeps.supplement_sweep)
    register_job("rectification.statements", every=SWEEP_EVERY, run=statement.statement_sweep)
    register_referral_sweep(CaseType.RECTIFICATION, results.REFERRAL_SWEEP)
    roles.extend_role_permissions(
        {
            roles.OFFICER: PROCESS_VIEW | POLICY_VIEW | {"workflows.officer_task_rectificationprocess"},
            roles.COMMITTEE_MEMBER: PROCESS_VIEW | POLICY_VIEW,
            roles.COMMITTEE_CHAIR: PROCESS_VIEW | POLICY_VIEW | {"workflows.chair_task_rectificationprocess"},
            roles.SUPERVISOR: PROCESS_VIEW | POLICY_VIEW,
            roles.ADMINISTRATOR: POLICY_EDIT,
        }
    )
    register_form_titles(FORM_TITLES)
    register_attachment_categories(
        {
            "declaration": _("Declaration documents"),
            "rectification_item": _("Rectification evidence"),
            "rectification_supplement": _("Supplementary materials of a declaration"),
            **APPEAL_ATTACHMENT_CATEGORIES,
        },
        case_type=CaseType.RECTIFICATION,
    )
