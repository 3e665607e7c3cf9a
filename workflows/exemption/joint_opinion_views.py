"""X1: the officer's page asking the departments for their joint opinions on a case under investigation."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from tolerance.models import CaseType, Department
from tolerance.selectors.cases import case_get_visible
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.exemption import joint_opinions


class AskForm(forms.Form):
    departments = forms.MultipleChoiceField(
        label=gettext_lazy("Departments asked for their opinion"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        # Every configured department not asked yet is offered, and ticked: the guideline asks them all.
        self.fields["departments"].choices = [(code, Department(code).label) for code in offered]
        self.fields["departments"].initial = offered


class AskView(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    form_class = AskForm
    template_name = "workflows/action.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.case = case_get_visible(request.user, pk=kwargs["case_pk"], case_type=CaseType.EXEMPTION)
        if not joint_opinions.may_ask(request.user, self.case):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "offered": joint_opinions.departments_to_ask(self.case)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.case, "title": _("Ask the departments' opinions")}

    def perform(self, form):
        joint_opinions.joint_opinions_ask(
            case=self.case, asked_by=self.request.user, departments=form.cleaned_data["departments"]
        )

    def performed(self, form):
        messages.success(self.request, _("The departments have been asked for their opinions."))
        return redirect("cases:detail", pk=self.case.pk)
