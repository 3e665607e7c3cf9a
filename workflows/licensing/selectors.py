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


PAGE_SIZE = 50


def page_of(queryset, page_param: str) -> dict:
    """One page of `queryset` (already ordered, newest first) by the `?page=` value, without a COUNT:
    the rows, and the neighbouring page numbers for the links."""
    number = int(page_param) if page_param.isascii() and page_param.isdigit() and 0 < len(page_param) <= 5 else 1
    number = max(number, 1)
    offset = (number - 1) * PAGE_SIZE
    rows = list(queryset[offset : offset + PAGE_SIZE + 1])
    return {
        "rows": rows[:PAGE_SIZE],
        "next_page": number + 1 if len(rows) > PAGE_SIZE else None,
        "previous_page": number - 1 if number > 1 else None,
    }
