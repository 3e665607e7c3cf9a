"""The desk's filters over the case list (django-filter): search, type, stage, institution (for those
who see several), year, overdue, due within N working days, my cases; and the order."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tolerance import roles
from tolerance.case_types import case_type_specs
from tolerance.models import Case, Institution
from tolerance.working_days import add_days

SEARCH_MAX_LENGTH = 100
DUE_WITHIN_MAX_DAYS = 365


def _type_choices():
    return [(spec.code, spec.label) for spec in case_type_specs()]


def _stage_choices():
    seen = {}
    for spec in case_type_specs():
        for stage in spec.stages:
            seen.setdefault(stage.value, stage.label)
    return list(seen.items())


def sees_several_institutions(user) -> bool:
    return user.is_superuser or roles.has_role(user, roles.SUPERVISOR)


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("Number, title, person, company, result")}),
    )
    case_type = django_filters.ChoiceFilter(label=_("Case type"), choices=_type_choices)
    stage = django_filters.ChoiceFilter(label=_("Current stage"), choices=_stage_choices)
    institution = django_filters.ModelChoiceFilter(label=_("Institution"), queryset=Institution.objects.all())
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput)
    due_within = django_filters.NumberFilter(
        label=_("Due within (working days)"), method="due_within_days", min_value=0, max_value=DUE_WITHIN_MAX_DAYS
    )
    mine = django_filters.BooleanFilter(label=_("My cases"), method="only_mine", widget=forms.CheckboxInput)
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        method="order",
        choices=[("due", _("Deadline first")), ("new", _("Newest first"))],
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Case
        fields = ["q", "case_type", "stage", "institution", "year", "overdue", "due_within", "mine", "sort"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not sees_several_institutions(user):
            del self.filters["institution"]

    def search(self, queryset, name, value):
        # Substring match on the lower-cased search text: a trigram index on PostgreSQL, a scan on SQLite.
        return queryset.filter(search_text__contains=value.strip().lower()) if value.strip() else queryset

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(next_due__lt=timezone.localdate(), process__finished__isnull=True)

    def due_within_days(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            next_due__gte=today, next_due__lte=add_days(today, int(value), working=True), process__finished__isnull=True
        )

    def only_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.user
        my_open_task = Task.objects.filter(
            process_id=OuterRef("process_id"), owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED]
        )
        subject = Case.subjects.through.objects.filter(case_id=OuterRef("pk"), user=user)
        return queryset.filter(Q(filed_by=user) | Q(Exists(my_open_task)) | Q(Exists(subject)))

    def order(self, queryset, name, value):
        return queryset  # applied by `ordered`, after the other filters

    def ordered(self, queryset):
        if self.form.is_valid() and self.form.cleaned_data.get("sort") == "due":
            return queryset.order_by(F("next_due").asc(nulls_last=True), "-pk")
        return queryset.order_by("-pk")
