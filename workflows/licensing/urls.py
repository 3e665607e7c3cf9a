"""The licence's own pages, mounted at licensing/."""

from django.urls import path

from workflows.licensing import application_views, page_views

app_name = "licence_pages"

urlpatterns = [
    path("", page_views.PortalView.as_view(), name="portal"),
    path("apply/", application_views.ApplyView.as_view(), name="apply"),
    path("applications/", application_views.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/", application_views.ApplicationDetailView.as_view(), name="application"),
    path("applications/<int:pk>/accept/", application_views.AcceptView.as_view(), name="application_accept"),
    path("applications/<int:pk>/decline/", application_views.DeclineView.as_view(), name="application_decline"),
    path("<int:case_pk>/elect/", page_views.ElectView.as_view(), name="elect"),
    path("<int:case_pk>/record-cancel/", page_views.RecordCancelView.as_view(), name="record_cancel"),
    path("<int:case_pk>/report/", page_views.ReportView.as_view(), name="report"),
    path("<int:case_pk>/accept/", page_views.AcceptView.as_view(), name="accept"),
    path("<int:case_pk>/evidence/", page_views.EvidenceView.as_view(), name="evidence"),
    path("<int:case_pk>/receipt/", page_views.ReceiptView.as_view(), name="receipt"),
    path("<int:case_pk>/cnipa/", page_views.CnipaView.as_view(), name="cnipa"),
    path("<int:case_pk>/exit/", page_views.ExitView.as_view(), name="exit"),
    path("<int:case_pk>/convert/", page_views.ConvertView.as_view(), name="convert"),
    path("<int:case_pk>/complete/", page_views.CompleteView.as_view(), name="complete"),
    path("<int:case_pk>/terminate/", page_views.TerminateView.as_view(), name="terminate"),
]
