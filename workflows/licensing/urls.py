"""The licence's own pages, mounted at licensing/."""

from django.urls import path

from workflows.licensing import page_views

app_name = "licence_pages"

urlpatterns = [
    path("", page_views.PortalView.as_view(), name="portal"),
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
