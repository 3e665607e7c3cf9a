from django.urls import path

from tolerance.decisions.views import DecisionDownloadView, DecisionRevokeView

app_name = "decisions"

urlpatterns = [
    path("<int:pk>/download/", DecisionDownloadView.as_view(), name="download"),
    path("<int:pk>/revoke/", DecisionRevokeView.as_view(), name="revoke"),
]
