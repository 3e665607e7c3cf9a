from django.urls import path

from tolerance.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("read/", views.NotificationsReadView.as_view(), name="read_all"),
    path("settings/", views.PreferencesView.as_view(), name="preferences"),
]
