"""The higher body's approval after the committee, where the path needs it: a related-party licence
goes to the body the policy names for it, a fee at or above an amount threshold to that threshold's body
(domain-licensing.md §5 stage 4). The officer records the body's resolution from its minutes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.services.attachments import attachment_add
from tolerance.text import text_validate
from workflows.access import is_case_officer
from workflows.licensing.models import LicensingDetails


def higher_approval_record(*, case, recorded_by, granted, met_on, minutes_number, minutes_file) -> LicensingDetails:
    if not is_case_officer(recorded_by, case):
        raise ValidationError(_("Only an officer of the institution can record the approval."))
    text_validate(minutes_number, label=_("minutes number"), field="minutes_number")
    if not minutes_number.strip():
        raise ValidationError({"minutes_number": _("Enter the number of the body's minutes.")})
    if met_on > timezone.localdate():
        raise ValidationError({"met_on": _("The body's meeting cannot be in the future.")})
    with transaction.atomic():
        details = LicensingDetails.objects.select_for_update().get(case=case)
        if not details.approval_body:
            raise ValidationError(_("This licence needs no approval beyond the committee's."))
        review = case.committee_reviews.order_by("-id").first()
        if review is not None and review.resolved_at and met_on < timezone.localtime(review.resolved_at).date():
            raise ValidationError({"met_on": _("The body meets after the committee's resolution.")})
        attachment_add(case=case, uploaded_by=recorded_by, uploaded=minutes_file, category="licensing_approval")
        details.approval_granted, details.approval_met_on = granted, met_on
        details.approval_minutes = minutes_number.strip()
        details.save(update_fields=["approval_granted", "approval_met_on", "approval_minutes"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=details,
            payload={
                "form": "licensing_higher_approval",
                "body": details.approval_body,
                "granted": granted,
                "met_on": met_on.isoformat(),
                "minutes": details.approval_minutes,
            },
        )
    return details
