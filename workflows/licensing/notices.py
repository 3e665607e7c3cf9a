"""The notification kinds of licensing cases (registered by setup.register())."""

from django.utils.translation import gettext_lazy as _

CONFLICT_FOUND = "licensing_conflict"
PAYMENT_NOTICE = "licensing_payment_notice"
PAYMENT_REMINDER = "licensing_payment_reminder"
PAYMENT_DEMAND = "licensing_payment_demand"
BREACH_NOTICE = "licensing_breach_notice"
RECORD_REMINDER = "licensing_record_reminder"
LICENCE_ENDED = "licensing_ended"
APPLICATION = "licensing_application"
REPORT_REMINDER = "licensing_report_reminder"
ELECTION = "licensing_election"
RECORD_CANCEL = "licensing_record_cancel"

KINDS = {
    CONFLICT_FOUND: _("A licence conflict was found"),
    PAYMENT_NOTICE: _("A licence payment was triggered"),
    PAYMENT_REMINDER: _("A licence instalment is due"),
    PAYMENT_DEMAND: _("A licence instalment is overdue"),
    BREACH_NOTICE: _("A licence is in breach"),
    RECORD_REMINDER: _("A licence contract must be recorded with CNIPA"),
    LICENCE_ENDED: _("A licence ended"),
    APPLICATION: _("A licence application was filed or decided"),
    REPORT_REMINDER: _("A usage report is due or missed"),
    ELECTION: _("A licensee's election after the trigger is due or made"),
    RECORD_CANCEL: _("A CNIPA licence record must be cancelled"),
}
