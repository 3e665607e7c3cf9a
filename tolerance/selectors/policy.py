"""The policy numbers that apply to a case: its institution's settings for its case type."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tolerance.models import CaseTypePolicy


def case_type_policy(*, institution_id: int, case_type: str) -> CaseTypePolicy:
    policy = CaseTypePolicy.objects.filter(institution_id=institution_id, case_type=case_type).first()
    if policy is None:
        raise ValidationError(
            _("The policy settings of this case type are missing for this institution; ask the administrator.")
        )
    return policy


def case_policy(case) -> CaseTypePolicy:
    return case_type_policy(institution_id=case.institution_id, case_type=case.case_type)
