from django.views.generic import TemplateView

from tolerance import roles
from tolerance.selectors.cases import cases_visible_to
from tolerance.selectors.statistics import case_counts_by_institution


class HomeView(TemplateView):
    """Shows each role what it can do; the figures come from the same selectors as the lists."""

    template_name = "tolerance/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        user_role_names = roles.user_roles(user)
        context["roles"] = user_role_names
        context["is_staff_role"] = bool(user_role_names & {roles.OFFICER, roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR})
        context["is_officer"] = roles.OFFICER in user_role_names or user.is_superuser
        context["is_party"] = bool(user_role_names & {roles.RESEARCHER, roles.LICENSEE_CONTACT})
        context["is_supervisor"] = roles.SUPERVISOR in user_role_names
        context["is_administrator"] = roles.ADMINISTRATOR in user_role_names or user.is_superuser
        context["recent_cases"] = cases_visible_to(user).select_related("institution").order_by("-id")[:10]
        if context["is_supervisor"]:
            context["statistics"] = case_counts_by_institution(user)
        return context
