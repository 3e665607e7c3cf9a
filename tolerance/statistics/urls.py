from django.urls import path

from tolerance.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.StatisticsView.as_view(), name="page"),
    path("export/<slug:key>.<str:format>", views.StatisticsExportView.as_view(), name="export"),
    path("annual-report/", views.AnnualReportIssueView.as_view(), name="annual_issue"),
    path("annual-report.xlsx", views.AnnualReportXlsxView.as_view(), name="annual_xlsx"),
    path("annual-report/<int:pk>.pdf", views.AnnualReportPdfView.as_view(), name="annual_pdf"),
    path("cases/<int:pk>/refer-to-supervisor/", views.CaseReferToSupervisorView.as_view(), name="refer"),
]
