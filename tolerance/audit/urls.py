from django.urls import path

from tolerance.audit.views import CaseTrailExportView

app_name = "audit"

urlpatterns = [
    path("cases/<int:pk>/trail.<str:export_format>", CaseTrailExportView.as_view(), name="case_trail_export"),
]
