"""The Material site: our own pages and every workflow application, under one menu."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site

from composition.home import HomeView
from tolerance.views.cases import (
    AttachmentDownloadView,
    AttachmentUploadView,
    CaseDetailView,
    CaseRelateView,
    DemoTimeView,
)
from tolerance.views.desk import CaseExportView, CaseListView
from workflows.flows import FLOWS
from workflows.viewsets import flow_applications


class CasesApplication(Application):
    title = _("Cases")
    icon = "folder_open"
    app_name = "cases"
    # Our pages are plain views, not viewsets, so the default menu (which lists viewsets) would be empty.
    menu_template_name = "composition/cases_menu.html"

    index_path = path("", CaseListView.as_view(), name="index")
    detail_path = path("<int:pk>/", CaseDetailView.as_view(), name="detail")
    relate_path = path("<int:pk>/related/", CaseRelateView.as_view(), name="relate")
    demo_time_path = path("<int:pk>/demo-time/", DemoTimeView.as_view(), name="demo_time")
    export_path = path("export/<str:format>/", CaseExportView.as_view(), name="export")
    register_path = path("registers/<slug:register>/", CaseListView.as_view(), name="register")
    register_export_path = path(
        "registers/<slug:register>/export/<str:format>/", CaseExportView.as_view(), name="register_export"
    )
    attachment_upload_path = path("<int:pk>/attachments/", AttachmentUploadView.as_view(), name="attachment_upload")
    attachment_download_path = path(
        "<int:pk>/attachments/<int:attachment_pk>/", AttachmentDownloadView.as_view(), name="attachment_download"
    )


class ToleranceSite(Site):
    title = _("Tolerance Case Management")
    primary_color = "#8b1a1a"
    secondary_color = "#c62828"
    index_path = path("", HomeView.as_view(), name="index")


site = ToleranceSite(viewsets=[CasesApplication(), *flow_applications(FLOWS)])
