"""What 容错免责认定 adds when the app is ready: its case type and decision kind, the permissions each
role needs for it, and how its forms and evidence read in a case's history."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.attachment_categories import register_attachment_categories
from tolerance.audit.timeline import register_form_titles
from tolerance.case_panels import register_case_panel
from tolerance.models import CaseType
from tolerance.notifications.kinds import register_notification_kind
from tolerance.scheduling import register_job
from workflows.exemption import (
    case_type,
    corrections,
    joint_opinions,
    prefill,
    registers,
    results,
    self_applications,
    statistics,
    supplement,
)
from workflows.exemption.forms import EVIDENCE_CATEGORIES
from workflows.steps.referrals import register_referral_sweep
from workflows.steps.setup import APPEAL_ATTACHMENT_CATEGORIES

POLICY_VIEW = {"workflows.view_policyversion", "workflows.view_policyitem"}
POLICY_EDIT = POLICY_VIEW | {
    "workflows.add_policyversion",
    "workflows.change_policyversion",
    "workflows.add_policyitem",
    "workflows.change_policyitem",
}
PROCESS_VIEW = {"workflows.view_exemptionprocess"}
FORM_TITLES = {
    "exemption_filing": _("exemption filing"),
    "completeness_check": _("completeness check"),
    "supplement": _("supplementary materials"),
    "investigation": _("investigation findings"),
    "rule_evaluation": _("confirmation of the proposed outcome"),
    "supplement_expiry": _("decision on a passed supplement deadline"),
    "result_acknowledgement": _("acknowledgement of the result's application"),
    "referral_acknowledgement": _("acknowledgement of the referral"),
    "correction_verification": _("verification of a correction"),
    joint_opinions.FORM: _("a department's joint opinion"),
    "exemption_joint_opinions_asked": _("request for the departments' joint opinions"),
    self_applications.SELF_APPLICATION: _("self-application for exemption"),
    "exemption_self_application_declined": _("a self-application declined"),
}
NOTIFICATION_KINDS = {
    results.RESULT_SENT: _("An exemption result to apply"),
    results.RESULT_ACK_DUE: _("An acknowledgement is due"),
    results.REFERRAL_SENT: _("A case referred to you"),
    results.ESCALATED: _("An acknowledgement is overdue"),
    supplement.SUPPLEMENT_EXPIRED: _("A supplement deadline has passed"),
    corrections.CORRECTION_ORDERED: _("A correction ordered"),
    corrections.CORRECTION_DUE: _("A correction is due"),
    corrections.CORRECTION_OVERDUE: _("A correction is overdue"),
    joint_opinions.OPINION_REQUESTED: _("A joint opinion is requested"),
    self_applications.SELF_APPLICATION: _("A self-application for exemption"),
}


def exemption_sweep(now) -> int:
    """The case type's one scheduled sweep: the result register's acknowledgements, the correction orders
    and the reminders of the joint opinions (its referrals are the shared steps' sweep)."""
    return results.register_sweep(now) + corrections.corrections_sweep(now) + joint_opinions.opinions_sweep(now)


def register() -> None:
    case_type.register()
    statistics.register()
    registers.register()
    prefill.register()
    joint_opinions.register()
    register_case_panel(
        name="joint_opinions",
        template_name="workflows/exemption/joint_opinions_panel.html",
        order=25,
        get_context=joint_opinions.joint_opinions_panel_context,
    )
    roles.extend_role_permissions(
        {
            roles.OFFICER: PROCESS_VIEW | POLICY_VIEW | {"workflows.officer_task_exemptionprocess"},
            roles.COMMITTEE_MEMBER: PROCESS_VIEW | POLICY_VIEW,
            roles.COMMITTEE_CHAIR: PROCESS_VIEW | POLICY_VIEW | {"workflows.chair_task_exemptionprocess"},
            roles.SUPERVISOR: PROCESS_VIEW | POLICY_VIEW,
            roles.ADMINISTRATOR: POLICY_EDIT,
        }
    )
    register_form_titles(FORM_TITLES)
    for code, label in NOTIFICATION_KINDS.items():
        register_notification_kind(code, label)
    register_job("exemption.register_sweep", every=timedelta(hours=1), run=exemption_sweep)
    register_referral_sweep(CaseType.EXEMPTION, results.REFERRAL_SWEEP)
    register_attachment_categories(
        {**EVIDENCE_CATEGORIES, **APPEAL_ATTACHMENT_CATEGORIES, "supplement": _("Supplementary material")},
        case_type=CaseType.EXEMPTION,
    )
