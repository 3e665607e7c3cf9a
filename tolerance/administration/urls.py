from django.urls import path

from tolerance.administration import views

app_name = "institution"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/new/", views.PersonNewView.as_view(), name="person_new"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("people/<int:pk>/roles/", views.PersonRolesView.as_view(), name="person_roles"),
    path("people/<int:pk>/deactivate/", views.PersonActiveView.as_view(), name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.PersonActiveView.as_view(activate=True), name="person_reactivate"),
    path("committee/", views.RosterView.as_view(), name="roster"),
    path("committee/new/", views.SeatFormView.as_view(), name="seat_new"),
    path("committee/<int:pk>/", views.SeatFormView.as_view(), name="seat"),
    path("contacts/", views.ContactsView.as_view(), name="contacts"),
    path("contacts/new/", views.ContactFormView.as_view(), name="contact_new"),
    path("contacts/<int:pk>/", views.ContactFormView.as_view(), name="contact"),
    path("policies/", views.PoliciesView.as_view(), name="policies"),
    path("policies/<int:pk>/", views.PolicyFormView.as_view(), name="policy"),
    path("sign-on/", views.SignOnView.as_view(), name="sign_on"),
    path("import/", views.StaffImportView.as_view(), name="import"),
    path("import/apply/", views.StaffImportApplyView.as_view(), name="import_apply"),
]
