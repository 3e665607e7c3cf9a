"""What every task page of every flow shares: the case beside the form, one service call, then done."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin

from tolerance.case_types import case_type_spec_for
from tolerance.views.service_form import ServiceFormMixin


class CaseTaskMixin(ServiceFormMixin, TaskSuccessUrlMixin):
    """A task page: the case summary beside the form; a service ValidationError becomes a form error."""

    template_name = "workflows/task.html"
    success_text = ""

    @property
    def case(self):
        return self.request.activation.process.case

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        context["summary_template"] = case_type_spec_for(self.case).task_summary_template
        return context

    def performed(self, form):
        self.request.activation.execute()
        messages.success(self.request, self.success_text or _("Done."))
        return HttpResponseRedirect(self.get_success_url())


class CaseTaskFormView(CaseTaskMixin, generic.FormView):
    pass
