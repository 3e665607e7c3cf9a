"""The exemption case type's pages beside its flow; mounted at exemption-register/."""

from django.urls import path

from workflows.exemption import joint_opinion_views, register_views, self_application_views

app_name = "exemption_register"

urlpatterns = [
    path("", register_views.RegisterView.as_view(), name="register"),
    path("result/<int:pk>/ack/", register_views.AcknowledgeResultView.as_view(), name="result_ack"),
    path("referral/<int:pk>/ack/", register_views.AcknowledgeReferralView.as_view(), name="referral_ack"),
    path(
        "case/<int:case_pk>/confirmation/<int:subject_pk>/",
        register_views.ExternalConfirmationView.as_view(),
        name="external_confirmation",
    ),
    path("correction/<int:pk>/verify/", register_views.VerifyCorrectionView.as_view(), name="correction_verify"),
    path("referral/<int:pk>/letter/", register_views.ReferralLetterView.as_view(), name="referral_letter"),
    path("case/<int:case_pk>/opinions/", joint_opinion_views.AskView.as_view(), name="joint_opinions_ask"),
    path("typical-cases.<str:format>", register_views.TypicalCasesExportView.as_view(), name="typical_cases"),
    path("apply/", self_application_views.ApplyView.as_view(), name="self_apply"),
    path("applications/", self_application_views.ApplicationListView.as_view(), name="self_applications"),
    path("applications/<int:pk>/", self_application_views.ApplicationDetailView.as_view(), name="self_application"),
    path(
        "applications/<int:pk>/adopt/",
        self_application_views.AdoptView.as_view(),
        name="self_application_adopt",
    ),
]
