"""Reads of the licensing pages beyond the cases (which go through tolerance.selectors.cases)."""

from tolerance import roles
from tolerance.models import CompanyContact
from tolerance.selectors.cases import user_institution_id
from workflows.licensing.application_models import LicenceApplication


def applications_visible_to(user):
    """An officer sees the applications to their institution; a company's contacts, their company's."""
    if not user.is_authenticated:
        return LicenceApplication.objects.none()
    if roles.has_role(user, roles.OFFICER) and user_institution_id(user) is not None:
        return LicenceApplication.objects.filter(institution_id=user_institution_id(user))
    companies = CompanyContact.objects.filter(user_id=user.pk, is_active=True).values("company_id")
    return LicenceApplication.objects.filter(company_id__in=companies)
