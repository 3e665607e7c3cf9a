"""A department's opinion page, for a case of any type that asks the departments (department_opinions).

The request is only as visible as its case (404 otherwise); only a contact of the department asked may
answer (403); a request no longer open says why instead of the form; the answer goes to one service."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from tolerance.selectors.cases import case_get_visible
from tolerance.selectors.departments import departments_of
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.form_fields import long_text
from workflows.steps.department_opinions import DepartmentRequest, Opinion, opinion_give, why_not_answerable


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=gettext_lazy("Opinion"), choices=Opinion.choices, widget=forms.RadioSelect)
    text = long_text(gettext_lazy("The department's opinion"), 4000)


class OpinionView(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    template_name = "workflows/action.html"
    form_class = OpinionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = get_object_or_404(DepartmentRequest, pk=self.kwargs["pk"])
        self.case = case_get_visible(request.user, pk=self.object.case_id)
        self.object.case = self.case
        if self.object.department not in departments_of(request.user, self.case.institution):
            raise PermissionDenied
        self.not_now = why_not_answerable(self.object)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.not_now:
            form = self.get_form()
            form.add_error(None, self.not_now)
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "case": self.case,
            "title": _("Give the department's opinion"),
            "not_now": self.not_now,
        }

    def perform(self, form):
        opinion_give(
            request=self.object,
            given_by=self.request.user,
            opinion=form.cleaned_data["opinion"],
            text=form.cleaned_data["text"],
        )

    def performed(self, form):
        messages.success(self.request, _("The opinion has been recorded."))
        return redirect("cases:detail", pk=self.case.pk)
