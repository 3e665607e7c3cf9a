"""The sample type's own pages: a minimal filing form and the decision page's proposed text."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponseRedirect
from django.views import generic
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin

from tests.sample_case_type import services
from tolerance import roles
from tolerance.services.cases import SubjectSpec
from tolerance.views.service_form import ServiceFormMixin
from workflows.steps import views as step_views
from workflows.steps.committee import review_current


class SampleFilingForm(forms.Form):
    title = forms.CharField(max_length=200)
    subject = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = get_user_model().objects.filter(
            groups__name=roles.RESEARCHER, profile__institution=institution
        )


class SampleFilingView(ServiceFormMixin, TaskSuccessUrlMixin, generic.FormView):
    form_class = SampleFilingForm
    template_name = "workflows/start.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "institution": self.request.user.profile.institution}

    def perform(self, form):
        self.case = services.sample_file(
            process=self.request.activation.process,
            institution=self.request.user.profile.institution,
            filed_by=self.request.user,
            title=form.cleaned_data["title"],
            subjects=[SubjectSpec(user=form.cleaned_data["subject"], role_in_case="申请人")],
        )

    def performed(self, form):
        self.request.activation.execute()
        messages.success(self.request, f"Case {self.case.number} filed.")
        return HttpResponseRedirect(self.get_success_url())


class SampleDecisionView(step_views.DecisionView):
    def get_initial(self):
        return {"facts": f"申请事项：{self.case.title}。", "reasoning": review_current(self.case).resolution_text}
