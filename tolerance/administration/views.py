"""The institution administrator's pages. Each is refused (403) to anyone who administers no institution,
and finds rows only among their own institution's (another institution's row is a 404)."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View, generic

from tolerance import roles
from tolerance.administration import forms
from tolerance.models import CaseType, CasSignOn, CommitteeSeat, DepartmentContact
from tolerance.selectors import institution_admin as scoped
from tolerance.services import accounts, roster, staff_import
from tolerance.services.policy import case_type_policy_save, policy_save
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin


class InstitutionAdminMixin(InCasesMenuMixin):
    title = ""

    def dispatch(self, request, *args, **kwargs):
        self.institution = scoped.administered_institution(request.user)
        if self.institution is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "institution": self.institution, "title": self.title}


class OverviewView(InstitutionAdminMixin, generic.TemplateView):
    template_name = "tolerance/administration/overview.html"
    title = gettext_lazy("Institution administration")


class TableView(InstitutionAdminMixin, generic.TemplateView):
    """A list of the institution's rows: `headers`, and `rows()` as (cells, link)."""

    template_name = "tolerance/administration/table.html"
    headers: list = []
    new_url_name = ""

    def rows(self):
        raise NotImplementedError(f"{type(self).__name__} must define rows().")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "headers": self.headers,
            "rows": self.rows(),
            "new_url": reverse(self.new_url_name) if self.new_url_name else "",
        }


class FormPageView(InstitutionAdminMixin, ServiceFormMixin, generic.FormView):
    template_name = "tolerance/administration/form.html"
    success_url_name = ""
    success_text = gettext_lazy("Saved.")

    def performed(self, form):
        messages.success(self.request, self.success_text)
        return redirect(self.success_url_name)


def _role_labels(user) -> str:
    names = {group.name for group in user.groups.all()}
    return "、".join(str(roles.ROLE_LABELS[name]) for name in roles.ROLE_LABELS if name in names)


class PeopleView(TableView):
    title = gettext_lazy("People")
    new_url_name = "institution:person_new"

    @property
    def headers(self):
        return [_("Staff number"), _("Name"), _("Department"), _("Login name"), _("Roles"), _("Status")]

    def rows(self):
        return [
            (
                [
                    user.profile.staff_number,
                    user.profile.real_name,
                    user.profile.department,
                    user.get_username(),
                    _role_labels(user),
                    _("Active") if user.is_active else _("Deactivated"),
                ],
                reverse("institution:person", args=[user.profile.pk]),
            )
            for user in scoped.institution_users(self.institution)
        ]


class PersonNewView(FormPageView):
    form_class = forms.PersonForm
    title = gettext_lazy("New person")
    success_url_name = "institution:people"

    def perform(self, form):
        accounts.account_save(
            actor=self.request.user,
            institution=self.institution,
            profile=form.instance,
            username=form.cleaned_data["username"],
        )


class PersonView(FormPageView):
    """A person's profile, roles and whether the account is active, on one page with three forms."""

    form_class = forms.PersonForm
    template_name = "tolerance/administration/person.html"
    title = gettext_lazy("Person")

    def get_profile(self):
        return get_object_or_404(
            scoped.institution_profiles(self.institution).select_related("user"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_profile()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = context["form"].instance
        held = set(profile.user.groups.values_list("name", flat=True))
        return {
            **context,
            "person": profile,
            "roles_form": kwargs.get("roles_form")
            or forms.RolesForm(initial={"roles": [name for name in accounts.DIRECT_ROLES if name in held]}),
            "seats": profile.user.committee_seats.filter(institution=self.institution),
            "contacts": profile.user.department_contacts.filter(institution=self.institution),
        }

    def perform(self, form):
        accounts.account_save(actor=self.request.user, institution=self.institution, profile=form.instance)

    def performed(self, form):
        messages.success(self.request, self.success_text)
        return redirect("institution:person", pk=form.instance.pk)


class PersonRolesView(InstitutionAdminMixin, View):
    def post(self, request, pk):
        profile = get_object_or_404(scoped.institution_profiles(self.institution).select_related("user"), pk=pk)
        form = forms.RolesForm(request.POST)
        if form.is_valid():
            try:
                accounts.account_roles_set(
                    actor=request.user,
                    institution=self.institution,
                    user=profile.user,
                    role_names=form.cleaned_data["roles"],
                )
            except ValidationError as error:
                form.add_error("roles", error.messages)
            else:
                messages.success(request, _("The roles have been saved."))
                return redirect("institution:person", pk=pk)
        page = PersonView(request=request, kwargs={"pk": pk})
        page.institution = self.institution
        person_form = forms.PersonForm(instance=profile)
        return page.render_to_response(page.get_context_data(form=person_form, roles_form=form), status=400)


class PersonActiveView(InstitutionAdminMixin, View):
    """Deactivate (someone leaves) or reactivate an account."""

    activate = False

    def post(self, request, pk):
        profile = get_object_or_404(scoped.institution_profiles(self.institution).select_related("user"), pk=pk)
        try:
            if self.activate:
                accounts.account_reactivate(actor=request.user, institution=self.institution, user=profile.user)
                messages.success(request, _("The account is active again."))
            else:
                released = accounts.account_deactivate(
                    actor=request.user, institution=self.institution, user=profile.user
                )
                messages.success(
                    request,
                    _("The account is deactivated; %(count)d open tasks went back to the queue.")
                    % {"count": len(released)},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("institution:person", pk=pk)


class RosterView(TableView):
    title = gettext_lazy("Committee roster")
    new_url_name = "institution:seat_new"

    @property
    def headers(self):
        return [_("Position"), _("Name"), _("Staff number"), _("Term starts on"), _("Term ends on")]

    def rows(self):
        return [
            (
                [
                    seat.get_position_display(),
                    seat.user.profile.real_name,
                    seat.user.profile.staff_number,
                    seat.term_starts_on,
                    seat.term_ends_on or "—",
                ],
                reverse("institution:seat", args=[seat.pk]),
            )
            for seat in scoped.institution_seats(self.institution)
        ]


class _InstitutionFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "institution": self.institution}


class SeatFormView(_InstitutionFormMixin, FormPageView):
    form_class = forms.SeatForm
    title = gettext_lazy("Committee seat")
    success_url_name = "institution:roster"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(scoped.institution_seats(self.institution), pk=self.kwargs["pk"])
        else:
            kwargs["instance"] = CommitteeSeat(institution=self.institution)
        return kwargs

    def perform(self, form):
        roster.seat_save(actor=self.request.user, institution=self.institution, seat=form.instance)


class ContactsView(TableView):
    title = gettext_lazy("Department contacts")
    new_url_name = "institution:contact_new"

    @property
    def headers(self):
        return [_("Department"), _("Name"), _("Staff number"), _("Status")]

    def rows(self):
        return [
            (
                [
                    contact.get_department_display(),
                    contact.user.profile.real_name,
                    contact.user.profile.staff_number,
                    _("Active") if contact.is_active else _("Inactive"),
                ],
                reverse("institution:contact", args=[contact.pk]),
            )
            for contact in scoped.institution_contacts(self.institution).order_by("department", "pk")
        ]


class ContactFormView(_InstitutionFormMixin, FormPageView):
    form_class = forms.ContactForm
    title = gettext_lazy("Department contact")
    success_url_name = "institution:contacts"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(scoped.institution_contacts(self.institution), pk=self.kwargs["pk"])
        else:
            kwargs["instance"] = DepartmentContact(institution=self.institution)
        return kwargs

    def perform(self, form):
        roster.contact_save(actor=self.request.user, institution=self.institution, contact=form.instance)


class PoliciesView(TableView):
    title = gettext_lazy("Policy numbers")

    @property
    def headers(self):
        return [_("Case type"), _("Document number prefix"), _("Publicity period (days)"), _("Committee quorum (%)")]

    def rows(self):
        return [
            (
                [
                    dict(CaseType.choices).get(policy.case_type, policy.case_type),
                    policy.document_number_prefix,
                    policy.publicity_days,
                    policy.committee_quorum_percent,
                ],
                reverse("institution:policy", args=[policy.pk]),
            )
            for policy in scoped.institution_policies(self.institution)
        ]


class PolicyFormView(FormPageView):
    form_class = forms.PolicyForm
    title = gettext_lazy("Policy numbers")
    success_url_name = "institution:policies"

    def get_form_kwargs(self):
        policy = get_object_or_404(scoped.institution_policies(self.institution), pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": policy}

    def perform(self, form):
        case_type_policy_save(actor=self.request.user, institution=self.institution, policy=form.instance)


class SignOnView(FormPageView):
    """The institution's campus login server and the attributes that name its people."""

    form_class = forms.SignOnForm
    template_name = "tolerance/administration/sign_on.html"
    title = gettext_lazy("Campus sign-on")
    success_url_name = "institution:sign_on"

    def get_form_kwargs(self):
        stored = CasSignOn.objects.filter(institution=self.institution).first()
        return {**super().get_form_kwargs(), "instance": stored or CasSignOn(institution=self.institution)}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "server_from_environment": settings.CAS_SERVERS.get(self.institution.code),
        }

    def perform(self, form):
        form.instance.institution = self.institution
        policy_save(actor=self.request.user, instance=form.instance)


_PLAN_SESSION_KEY = "staff_import_plan"


class StaffImportView(InstitutionAdminMixin, generic.FormView):
    """Upload → dry run (every row's result) → import of exactly the rows that were shown."""

    form_class = forms.StaffImportForm
    template_name = "tolerance/administration/import.html"
    title = gettext_lazy("Import staff")

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            rows = staff_import.staff_file_rows(name=upload.name, content=upload.read())
        except staff_import.StaffFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        plan = staff_import.staff_import_plan(institution=self.institution, rows=rows)
        digest = hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        self.request.session[_PLAN_SESSION_KEY] = {
            "institution": self.institution.pk,
            "digest": digest,
            "rows": rows,
        }
        return self.render_to_response(self.get_context_data(form=form, plan=plan, digest=digest))

    def get_context_data(self, **kwargs):
        plan = kwargs.get("plan")
        context = super().get_context_data(**kwargs)
        if plan is not None:
            context["summary"] = {
                action: sum(1 for result in plan if result.action == action)
                for action in ("create", "update", "unchanged", "error")
            }
        return context


class StaffImportApplyView(InstitutionAdminMixin, View):
    def post(self, request):
        stored = request.session.get(_PLAN_SESSION_KEY)
        if (
            not stored
            or stored.get("institution") != self.institution.pk
            or stored.get("digest") != request.POST.get("digest")
        ):
            messages.error(request, _("The checked file is no longer available; upload it again."))
            return redirect("institution:import")
        plan = staff_import.staff_import_apply(actor=request.user, institution=self.institution, rows=stored["rows"])
        del request.session[_PLAN_SESSION_KEY]
        created = sum(1 for result in plan if result.action == "create")
        updated = sum(1 for result in plan if result.action == "update")
        refused = sum(1 for result in plan if result.action == "error")
        messages.success(
            request,
            _("Import done: %(created)d created, %(updated)d updated, %(refused)d rows refused and not imported.")
            % {"created": created, "updated": updated, "refused": refused},
        )
        return redirect("institution:people")
