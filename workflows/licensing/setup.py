"""What 先使用后付费 licensing adds when the app is ready: its case type and decision kind, the
permissions each role needs, its notification kinds, its daily sweeps, and how its forms and files read
in a case's history."""

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.attachment_categories import register_attachment_categories
from tolerance.audit.timeline import register_form_titles
from tolerance.models import CaseType, Department, DepartmentContact
from tolerance.notifications.kinds import register_notification_kind
from tolerance.scheduling import register_job
from tolerance.selectors.cases import register_case_visibility
from workflows.licensing import case_type, notices, statistics
from workflows.licensing.ladder import overdue_ladder_run
from workflows.licensing.payments import date_triggers_run
from workflows.licensing.reports import report_reminders_run

PROCESS_VIEW = {"workflows.view_licensingprocess"}
FORM_TITLES = {
    "licensing_review": _("eligibility and conflict review"),
    "licensing_contract": _("signed licence contract"),
    "licensing_cnipa_record": _("CNIPA record of the contract"),
    "licensing_usage_report": _("usage report"),
    "licensing_report_accepted": _("acceptance of a usage report"),
    "licensing_receipt": _("receipt of a licence payment"),
    "licensing_application": _("licence application through the portal"),
    "licensing_application_declined": _("licence application declined"),
    "licensing_higher_approval": _("approval of the higher body"),
    "licensing_election": _("licensee's election after the trigger"),
    "licensing_record_cancelled": _("cancellation of the CNIPA record"),
}
ATTACHMENT_CATEGORIES = {
    "licensing_consent": _("Written consent (pledgee or co-owners)"),
    "licensing_contract": _("Signed licence contract"),
    "licensing_report": _("Usage report file"),
    "licensing_payment": _("Payment voucher"),
    "licensing_application": _("Company document filed with the application"),
    "licensing_approval": _("Minutes of the approving body"),
}


def finance_cases(user) -> Q:
    """The finance office records the receipts of its institution's licences."""
    finance_of = DepartmentContact.objects.filter(user=user, department=Department.FINANCE, is_active=True)
    return Q(case_type=CaseType.PAY_AFTER_USE, institution_id__in=finance_of.values("institution_id"))


def register() -> None:
    case_type.register()
    statistics.register()
    register_case_visibility(roles.DEPARTMENT_CONTACT, finance_cases)
    roles.extend_role_permissions(
        {
            roles.OFFICER: PROCESS_VIEW | {"workflows.officer_task_licensingprocess"},
            roles.COMMITTEE_MEMBER: PROCESS_VIEW,
            roles.COMMITTEE_CHAIR: PROCESS_VIEW | {"workflows.chair_task_licensingprocess"},
            roles.SUPERVISOR: PROCESS_VIEW,
        }
    )
    register_form_titles(FORM_TITLES)
    register_attachment_categories(ATTACHMENT_CATEGORIES, case_type=CaseType.PAY_AFTER_USE)
    for code, label in notices.KINDS.items():
        register_notification_kind(code, label)
    register_job("licensing.date_triggers", every=timedelta(hours=1), run=date_triggers_run)
    register_job("licensing.overdue_ladder", every=timedelta(hours=1), run=overdue_ladder_run)
    register_job("licensing.usage_reports", every=timedelta(hours=1), run=report_reminders_run)
