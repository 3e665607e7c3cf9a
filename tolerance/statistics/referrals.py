"""Referring a case to the supervisor (移送主管部门): the institution's explicit, audited act that opens
the case file to the supervisor body it names. Until then a supervisor sees a case's number, type, stage,
outcome and issued documents only (tolerance.selectors.cases.user_sees_case_file); a referral of a
person to 纪委办 or 人事处 (workflows.steps.referrals) opens nothing to the city."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.selectors.cases import user_institution_id
from tolerance.statistics.models import SupervisorReferral
from tolerance.text import text_validate

REFERRING_ROLES = (roles.OFFICER, roles.COMMITTEE_CHAIR)


def supervisor_bodies() -> list[str]:
    """The bodies a case can be referred to: the organisations of the deployment's active supervisors
    (the people who will read the file), as their accounts name them."""
    users = get_user_model().objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
    names = users.exclude(profile__organisation="").values_list("profile__organisation", flat=True)
    return sorted(set(names))


def user_may_refer_to_supervisor(user, case) -> bool:
    """Officers and the committee chair of the case's own institution."""
    return (
        user.is_authenticated
        and roles.has_role(user, *REFERRING_ROLES)
        and user_institution_id(user) == case.institution_id
    )


def case_referred_to(user, case) -> bool:
    """Whether `case` was referred to the supervisor body `user` belongs to (their account's organisation)."""
    organisation = getattr(getattr(user, "profile", None), "organisation", "")
    return bool(organisation) and SupervisorReferral.objects.filter(case=case, supervisor_body=organisation).exists()


class SupervisorReferralForm(forms.Form):
    supervisor_body = forms.ChoiceField(label=gettext_lazy("Supervisor body"))
    reason = forms.CharField(label=gettext_lazy("Reason for the referral"), widget=forms.Textarea, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor_body"].choices = [("", "—")] + [(name, name) for name in supervisor_bodies()]

    def clean_reason(self):
        return text_validate(self.cleaned_data["reason"])


def case_refer_to_supervisor(*, user, case, supervisor_body: str, reason: str) -> SupervisorReferral:
    """Record the referral and its audit event in one transaction; refused for anyone but the case's own
    officers and chair, for a body with no supervisors, and a second time to the same body."""
    if not user_may_refer_to_supervisor(user, case):
        raise ValidationError(_("Only the officers of the case's institution may refer it to the supervisor."))
    if supervisor_body not in supervisor_bodies():
        raise ValidationError(_("Please choose a supervisor body."))
    try:
        with transaction.atomic():
            referral = SupervisorReferral.objects.create(
                case=case,
                supervisor_body=supervisor_body,
                reason=reason,
                referred_by=user,
                referred_at=timezone.now(),
            )
            audit_record(
                action=AuditAction.CASE_UPDATED,
                actor=user,
                case=case,
                target=referral,
                payload={"what": "referred_to_supervisor", "supervisor_body": supervisor_body, "reason": reason},
            )
    except IntegrityError:
        raise ValidationError(
            _("The case has already been referred to %(body)s.") % {"body": supervisor_body}
        ) from None
    return referral
