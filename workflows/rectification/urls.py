"""The rectification pages beside the Viewflow ones; mounted at rectification/."""

from django.urls import path

from workflows.rectification import desk, pages, register_pages
from workflows.steps import opinion_pages

app_name = "rectification_pages"

urlpatterns = [
    path("declare/", pages.DeclareView.as_view(), name="declare"),
    path("opinions/<int:pk>/", opinion_pages.OpinionView.as_view(), name="opinion"),
    path("items/<int:pk>/evidence/", pages.EvidenceView.as_view(), name="evidence"),
    path("items/<int:pk>/review/", pages.ItemReviewView.as_view(), name="review"),
    path("items/<int:pk>/extension/", pages.ExtensionRequestView.as_view(), name="extension"),
    path("extensions/<int:pk>/", pages.ExtensionDecisionView.as_view(), name="extension_decide"),
    path("referrals/<int:pk>/ack/", pages.ReferralReceiptView.as_view(), name="referral_ack"),
    path("cases/<int:pk>/supplement/", pages.SupplementView.as_view(), name="supplement"),
    path("cases/<int:pk>/statement/", pages.StatementView.as_view(), name="statement"),
    path("cases/<int:pk>/commitment/", pages.CommitmentView.as_view(), name="commitment"),
    path("cases/<int:pk>/suspend/", pages.SuspendView.as_view(), name="suspend"),
    path("cases/<int:pk>/resume/", pages.ResumeView.as_view(), name="resume"),
    path("cases/<int:pk>/terminate/", pages.TerminateView.as_view(), name="terminate"),
    path("desk/", desk.DepartmentDeskView.as_view(), name="desk"),
    path("register/", register_pages.RegisterView.as_view(), name="register"),
    path("register/roster/<int:year>/", register_pages.RosterExportView.as_view(), name="roster"),
]
