"""What every task page of every flow shares: the case beside the form (its summary, evidence and recent
history), one service call, then back to the case page saying what happened and what comes next."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin

from tolerance.audit.timeline import case_timeline
from tolerance.case_types import case_type_spec_for
from tolerance.views.service_form import ServiceFormMixin

# How much of the case's history the task page shows beside the form (the case page has all of it).
RECENT_HISTORY = 8


def outcome_message(case, done: str) -> str:
    """“<what was done>. The case is now at <stage>. Next: <next step>.”"""
    case.refresh_from_db(fields=["stage", "next_due"])
    values = {"done": done, "stage": case.stage_label, "next": case.next_step}
    if case.next_step:
        return _("%(done)s The case is now at “%(stage)s”. Next: %(next)s") % values
    return _("%(done)s The case is now at “%(stage)s”.") % values


class CaseTaskMixin(ServiceFormMixin, TaskSuccessUrlMixin):
    """A task page: the case beside the form; a service ValidationError becomes a form error."""

    template_name = "workflows/task.html"
    success_text = ""

    @property
    def case(self):
        return self.request.activation.process.case

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        context["summary_template"] = case_type_spec_for(self.case).task_summary_template
        context["evidence"] = self.case.attachments.filter(superseded_by__isnull=True).order_by("-pk")
        context["recent_history"] = case_timeline(self.request.user, self.case)[-RECENT_HISTORY:][::-1]
        return context

    def get_success_url(self):
        return reverse("cases:detail", args=[self.case.pk])

    def performed(self, form):
        title = self.request.activation.task.flow_task.task_title
        self.request.activation.execute()
        done = str(self.success_text) if self.success_text else _("“%(task)s” is done.") % {"task": title}
        messages.success(self.request, outcome_message(self.case, done))
        return HttpResponseRedirect(self.get_success_url())


class CaseFilingMixin(TaskSuccessUrlMixin):
    """A flow's start page: after filing, the new case's page saying what comes next (not viewflow's
    process page). The view's `perform` sets `self.case`."""

    def get_success_url(self):
        return reverse("cases:detail", args=[self.case.pk])

    def performed(self, form):
        self.request.activation.execute()
        done = _("Case %(number)s filed.") % {"number": self.case.number}
        messages.success(self.request, outcome_message(self.case, done))
        return HttpResponseRedirect(self.get_success_url())


class CaseTaskFormView(CaseTaskMixin, generic.FormView):
    pass
