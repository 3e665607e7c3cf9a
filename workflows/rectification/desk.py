"""The department desk (部门工作台): for a department contact, what waits for their departments across the
rectification cases they were asked about: the items to accept (with their deadlines), the opinions to
give and the referrals to acknowledge. Every row is of a case the visibility selector shows them."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.views import generic

from tolerance import roles
from tolerance.models import DepartmentContact
from tolerance.selectors.cases import cases_visible_to
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.rectification.models import ItemStatus, ItemVerifier, RectificationStage
from workflows.rectification.results import referrals_for_contact
from workflows.steps.department_opinions import DepartmentRequest

ROWS = 200


def _mine(user) -> list[tuple[int, str]]:
    return list(DepartmentContact.objects.filter(user=user, is_active=True).values_list("institution_id", "department"))


def desk_items(user):
    """The items of the user's departments still to be accepted, soonest deadline first (one query).

    The department's verifier row is what makes the case visible to its contacts (setup.department_cases),
    so no visibility subquery is added: PostgreSQL walks the items' (due_on, id) index and stops at the page
    instead of sorting every open item of the department."""
    mine = _mine(user)
    if not mine:
        return ItemVerifier.objects.none()
    match = Q(pk__in=[])
    for institution_id, department in mine:
        match |= Q(item__case__institution_id=institution_id, department=department)
    return (
        ItemVerifier.objects.filter(match, accepted_at__isnull=True)
        .filter(
            item__case__stage=RectificationStage.RECTIFYING,
            item__status__in=[ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.RETURNED],
        )
        .select_related("item__case", "item__gap")
        .order_by("item__due_on", "item_id")
    )


def desk_requests(user):
    mine = _mine(user)
    if not mine:
        return DepartmentRequest.objects.none()
    match = Q(pk__in=[])
    for institution_id, department in mine:
        match |= Q(case__institution_id=institution_id, department=department)
    return (
        # The request itself makes the case visible to the department (setup.department_cases).
        DepartmentRequest.objects.filter(match, answered_at__isnull=True, case__stage=RectificationStage.VERIFICATION)
        .select_related("case")
        .order_by("due_on", "pk")
    )


class DepartmentDeskView(InCasesMenuMixin, generic.TemplateView):
    template_name = "workflows/rectification/desk.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.has_role(request.user, roles.DEPARTMENT_CONTACT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        items = list(desk_items(user)[:ROWS])
        return {
            **super().get_context_data(**kwargs),
            "items": items,
            "to_accept": [row for row in items if row.item.status == ItemStatus.SUBMITTED],
            "awaiting_evidence": [row for row in items if row.item.status != ItemStatus.SUBMITTED],
            "requests": list(desk_requests(user)[:ROWS]),
            "referrals": list(
                referrals_for_contact(user)
                .filter(received_at__isnull=True, case__in=cases_visible_to(user))
                .select_related("case", "letter")
                .order_by("ack_due", "pk")[:ROWS]
            ),
        }
