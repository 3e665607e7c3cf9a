import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tolerance.case_panels import render_case_panels
from tolerance.case_types import case_type_spec
from tolerance.forms import AttachmentUploadForm
from tolerance.middleware import error_page
from tolerance.selectors.cases import (
    attachments_visible_to,
    case_get_visible,
    cases_visible_to,
    user_is_case_staff,
    user_may_add_evidence,
    user_sees_case_file,
)
from tolerance.services.attachments import attachment_add, attachment_open
from tolerance.services.cases import case_relate
from tolerance.services.demo_time import demo_time_allowed, demo_time_skip, demo_waits

logger = logging.getLogger(__name__)
# The case page sections a supervisor sees of a case not referred to them: the issued documents.
SUMMARY_PANELS = ("decisions",)


class CaseDetailView(TemplateView):
    template_name = "tolerance/case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = case_get_visible(self.request.user, pk=self.kwargs["pk"])
        context["case"] = case
        spec = case_type_spec(case.case_type)
        context["progress"] = spec.progress(case.stage) if spec else []
        if not user_sees_case_file(self.request.user, case):
            # A supervisor's view: the case's number, type, stage and its issued documents, nothing of its file.
            context["summary_only"] = True
            context["panels"] = render_case_panels(self.request, case, only=SUMMARY_PANELS)
            return context
        context["subjects"] = case.subject_links.select_related("user__profile")
        context["attachments"] = attachments_visible_to(self.request.user, case).select_related(
            "uploaded_by__profile", "superseded_by"
        )
        context["is_case_staff"] = user_is_case_staff(self.request.user, case)
        context["can_upload"] = user_may_add_evidence(self.request.user, case)
        context["upload_form"] = kwargs.get("upload_form") or AttachmentUploadForm(case=case)
        context["panels"] = render_case_panels(self.request, case)
        # Only the related cases this user may open are named.
        context["related_cases"] = case.related_cases.filter(pk__in=cases_visible_to(self.request.user)).order_by(
            "number"
        )
        context["relate_error"] = kwargs.get("relate_error", "")
        if demo_time_allowed(self.request.user, case):
            context["demo_waits"] = [
                (task.flow_task.task_title if task.flow_task else "", task.scheduled) for task in demo_waits(case)
            ]
        return context


class AttachmentUploadView(View):
    """Officers of the case's institution and the case's own parties may add evidence."""

    def post(self, request, pk):
        case = case_get_visible(request.user, pk=pk)
        if not user_may_add_evidence(request.user, case):
            raise PermissionDenied
        form = AttachmentUploadForm(request.POST, request.FILES, case=case)
        if form.is_valid():
            try:
                attachment_add(
                    case=case,
                    uploaded_by=request.user,
                    uploaded=form.cleaned_data["file"],
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                    supersedes=form.cleaned_data["supersedes"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("The evidence has been uploaded."))
                return redirect("cases:detail", pk=case.pk)
        view = CaseDetailView(request=request, kwargs={"pk": pk})
        return view.render_to_response(view.get_context_data(upload_form=form, pk=pk), status=400)


class CaseRelateView(View):
    """Staff link the case to another case they can see (by its number)."""

    def post(self, request, pk):
        case = case_get_visible(request.user, pk=pk)
        try:
            other = case_relate(case=case, number=request.POST.get("number", ""), related_by=request.user)
        except ValidationError as error:
            view = CaseDetailView(request=request, kwargs={"pk": pk})
            context = view.get_context_data(pk=pk, relate_error=" ".join(error.messages))
            return view.render_to_response(context, status=400)
        messages.success(request, _("Case %(number)s linked.") % {"number": other.number})
        return redirect("cases:detail", pk=case.pk)


class AttachmentDownloadView(View):
    def get(self, request, pk, attachment_pk):
        case = case_get_visible(request.user, pk=pk)
        if not user_sees_case_file(request.user, case):
            raise Http404
        attachment = get_object_or_404(attachments_visible_to(request.user, case), pk=attachment_pk)
        try:
            content = attachment_open(attachment)
        except FileNotFoundError:
            # The record exists, so the content should: the archive lost it. An unreadable file is a
            # FileStoreUnavailable, answered by StorageErrorMiddleware.
            logger.error("Evidence file missing from the archive: %s (%s)", attachment.storage_name, case.number)
            return error_page(
                request,
                title=_("File missing"),
                message=_(
                    "The file “%(name)s” is recorded but cannot be found in the file storage. The system "
                    "administrator has been told in the log; please tell them too."
                )
                % {"name": attachment.download_name},
                status=404,
            )
        # Always a download (never shown inline), under a name ending with the extension of its real type.
        return FileResponse(
            content, as_attachment=True, filename=attachment.download_name, content_type=attachment.content_type
        )


class DemoTimeView(View):
    """Development only: move the case past its waiting periods (404 when demo time is off)."""

    def post(self, request, pk):
        case = case_get_visible(request.user, pk=pk)
        if not demo_time_allowed(request.user, case):
            raise Http404
        fired = demo_time_skip(case=case, user=request.user)
        messages.success(request, _("Demo time: %(count)d waiting periods ended now.") % {"count": fired})
        return redirect("cases:detail", pk=case.pk)
