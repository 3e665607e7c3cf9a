"""The notification centre: the list, opening one (marks it read, goes where it points), marking all
read, and the per-kind e-mail and language preferences. A person only ever reaches their own."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View, generic

from tolerance.notifications.kinds import notification_kinds
from tolerance.notifications.models import EmailOptOut
from tolerance.notifications.selectors import notifications_for
from tolerance.notifications.services import notification_preferences_set, notifications_mark_read
from tolerance.paging import keyset_page
from tolerance.views.site_menu import InCasesMenuMixin


class NotificationListView(InCasesMenuMixin, generic.TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        page, next_before = keyset_page(notifications_for(self.request.user), before=self.request.GET.get("before", ""))
        return {**super().get_context_data(**kwargs), "notifications": page, "next_before": next_before}


class NotificationOpenView(View):
    def get(self, request, pk):
        notification = get_object_or_404(notifications_for(request.user), pk=pk)
        notifications_mark_read(user=request.user, ids=[notification.pk])
        # Only a path on this site: a stored link can never send anyone elsewhere.
        if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
            return redirect(notification.link)
        return redirect("notifications:list")


class NotificationsReadView(View):
    def post(self, request):
        count = notifications_mark_read(user=request.user)
        messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
        return redirect("notifications:list")


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Send me an e-mail for"), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of my notifications"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = [(kind.code, kind.label) for kind in notification_kinds()]
        self.fields["language"].choices = [("", _("The site's language (Chinese)")), *settings.LANGUAGES]


class PreferencesView(InCasesMenuMixin, generic.FormView):
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_initial(self):
        user = self.request.user
        opted_out = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        profile = getattr(user, "profile", None)
        return {
            "email_kinds": [kind.code for kind in notification_kinds() if kind.code not in opted_out],
            "language": profile.language if profile is not None else "",
        }

    def form_valid(self, form):
        notification_preferences_set(
            user=self.request.user, email_kinds=form.cleaned_data["email_kinds"], language=form.cleaned_data["language"]
        )
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
