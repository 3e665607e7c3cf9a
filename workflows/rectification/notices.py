"""Who a rectification case tells, and the kinds of notice it sends (registered from setup)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.selectors.departments import department_contacts

OPINION_REQUESTED = "rectification_opinion_requested"
NOTICE_ISSUED = "rectification_notice_issued"
EVIDENCE_SUBMITTED = "rectification_evidence_submitted"
ITEM_REVIEWED = "rectification_item_reviewed"
ITEM_DUE = "rectification_item_due"
ITEM_OVERDUE = "rectification_item_overdue"
EXTENSION = "rectification_extension"
REGISTER_EXPIRY = "rectification_register_expiry"
REGISTER_OVERSTAY = "rectification_register_overstay"
SUPPLEMENT_REQUESTED = "rectification_supplement_requested"
SUPPLEMENT_DUE = "rectification_supplement_due"
SUPPLEMENT_EXPIRED = "rectification_supplement_expired"
SUSPENDED = "rectification_suspended"
REFERRAL_SENT = "rectification_referral_sent"
REFERRAL_ACK_DUE = "rectification_referral_ack_due"
REFERRAL_ESCALATED = "rectification_referral_escalated"
STATEMENT_DUE = "rectification_statement"
COMMITMENT_SIGNED = "rectification_commitment_signed"

KINDS = {
    OPINION_REQUESTED: _("A department opinion is requested"),
    NOTICE_ISSUED: _("A rectification notice was issued"),
    EVIDENCE_SUBMITTED: _("Rectification evidence was submitted"),
    ITEM_REVIEWED: _("A rectification item was reviewed"),
    ITEM_DUE: _("A rectification item is due"),
    ITEM_OVERDUE: _("A rectification item is overdue"),
    EXTENSION: _("A rectification extension was requested or decided"),
    REGISTER_EXPIRY: _("An approved leave or part-time period is ending"),
    REGISTER_OVERSTAY: _("An approved leave or part-time period was overstayed"),
    SUPPLEMENT_REQUESTED: _("Supplementary materials are asked for"),
    SUPPLEMENT_DUE: _("Supplementary materials are due"),
    SUPPLEMENT_EXPIRED: _("The supplement deadline has passed"),
    SUSPENDED: _("A rectification case was suspended or resumed"),
    REFERRAL_SENT: _("A failed rectification was referred"),
    REFERRAL_ACK_DUE: _("A referral's acknowledgement is due"),
    REFERRAL_ESCALATED: _("A referral's acknowledgement is overdue"),
    STATEMENT_DUE: _("A statement on the gap list is due or answered"),
    COMMITMENT_SIGNED: _("A rectification commitment was signed"),
}


def officers_of(institution):
    return (
        get_user_model()
        .objects.filter(groups__name=roles.OFFICER, profile__institution=institution, is_active=True)
        .distinct()
        .order_by("pk")
    )


def subjects_of(case):
    return [link.user for link in case.subject_links.select_related("user__profile")]


def verifiers_of(case, department: str):
    """Who accepts an item of `department`: its contacts, or the case's officers where it has none."""
    contacts = list(department_contacts(case.institution, department))
    return contacts or list(officers_of(case.institution))


def case_link(case) -> str:
    return reverse("cases:detail", args=[case.pk])
