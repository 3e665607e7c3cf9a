"""The licence's pages beside the flow: reports, receipts, the CNIPA record, exit, conversion,
completion and termination. Each is an action (workflows.steps.actions.CaseAction) answering "may this
user do this now?" once, for its page and for the case page's list of actions."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tolerance.models import CaseType
from workflows.access import is_case_officer
from workflows.licensing.closure import breach_uncured
from workflows.licensing.election import ENDED, election_open_reason
from workflows.licensing.ledger import DueStatus
from workflows.licensing.models import LicensingStage
from workflows.licensing.payments import ACTIVE_STAGES, is_company_contact, is_finance_contact, reconciliation
from workflows.steps.actions import CaseAction


def _licence(case):
    return case.case_type == CaseType.PAY_AFTER_USE and hasattr(case, "licensing")


@dataclass(frozen=True)
class LicenceAction(CaseAction):
    def url(self, case):
        return reverse(f"licence_pages:{self.name}", args=[case.pk])

    def in_force(self, case) -> str:
        return "" if case.stage in ACTIVE_STAGES else str(_("The licence is not in force."))


class ReportUsage(LicenceAction):
    def who(self, user, case):
        return _licence(case) and (is_company_contact(user, case) or is_case_officer(user, case))

    def not_now(self, user, case):
        return self.in_force(case)


class PaymentEvidence(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_company_contact(user, case)

    def not_now(self, user, case):
        if not case.payment_dues.filter(status=DueStatus.OPEN).exists():
            return str(_("Nothing is due."))
        return self.in_force(case)


class AcceptReport(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_case_officer(user, case)

    def not_now(self, user, case):
        if not case.usage_reports.filter(accepted_at__isnull=True).exists():
            return str(_("No report is waiting to be accepted."))
        return self.in_force(case)


class RecordReceipt(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_finance_contact(user, case)

    def not_now(self, user, case):
        return "" if case.payment_dues.exists() else str(_("No payment has fallen due."))


class RecordCnipa(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_case_officer(user, case)

    def not_now(self, user, case):
        details = case.licensing
        if details.contract_effective_on is None:
            return str(_("Record the contract first."))
        return str(_("The CNIPA record is already filed.")) if details.record_filed_on else ""


class Exit(LicenceAction):
    def who(self, user, case):
        return _licence(case) and (is_company_contact(user, case) or is_case_officer(user, case))

    def not_now(self, user, case):
        return self.in_force(case)


class Convert(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_case_officer(user, case)

    def not_now(self, user, case):
        return self.in_force(case)


class Complete(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_case_officer(user, case)

    def not_now(self, user, case):
        if self.in_force(case):
            return self.in_force(case)
        account = reconciliation(case)
        if not account.lines or account.outstanding > 0:
            return str(_("The licence cannot be completed while fees are unpaid or not yet triggered."))
        return ""


class Terminate(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_case_officer(user, case)

    def not_now(self, user, case):
        if case.stage != LicensingStage.BREACH or breach_uncured(case) is None:
            return str(_("A licence can be terminated only after a breach notice's cure period has ended uncured."))
        return ""


class Elect(LicenceAction):
    def who(self, user, case):
        return _licence(case) and (is_company_contact(user, case) or is_case_officer(user, case))

    def not_now(self, user, case):
        return election_open_reason(case)


class RecordCancel(LicenceAction):
    def who(self, user, case):
        return _licence(case) and is_case_officer(user, case)

    def not_now(self, user, case):
        details = case.licensing
        if case.stage not in ENDED:
            return str(_("The CNIPA record is cancelled once the licence has ended."))
        if details.record_filed_on is None:
            return str(_("The contract was never recorded with CNIPA."))
        return str(_("The cancellation is already recorded.")) if details.record_cancelled_on else ""


REPORT = ReportUsage("report", _("File a usage report"))
ACCEPT = AcceptReport("accept", _("Accept a usage report"))
EVIDENCE = PaymentEvidence("evidence", _("Upload payment evidence"))
RECEIPT = RecordReceipt("receipt", _("Record a receipt"))
CNIPA = RecordCnipa("cnipa", _("Record the CNIPA filing"))
EXIT = Exit("exit", _("Give notice of exit"))
CONVERT = Convert("convert", _("Convert to a paid licence"))
COMPLETE = Complete("complete", _("Complete the licence"))
TERMINATE = Terminate("terminate", _("Terminate for breach"))
ELECT = Elect("elect", _("Elect after the trigger: pay, exit or convert"))
RECORD_CANCEL = RecordCancel("record_cancel", _("Record the CNIPA record's cancellation"))

LICENCE_ACTIONS = [REPORT, ACCEPT, EVIDENCE, RECEIPT, CNIPA, ELECT, EXIT, CONVERT, COMPLETE, TERMINATE, RECORD_CANCEL]


def licence_actions_available(user, case) -> list[tuple[str, str]]:
    return [(action.menu_label(case), action.url(case)) for action in LICENCE_ACTIONS if action.check(user, case)]
