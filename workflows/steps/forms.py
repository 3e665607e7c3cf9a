"""Forms of the shared steps. The outcomes offered are the case type's own."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tolerance.forms import HeldUploadsFormMixin, MultipleFileField
from workflows.form_fields import YES_NO, long_text
from workflows.steps.models import ObjectionRuling


class OpenReviewForm(forms.Form):
    agenda = long_text(_("Agenda and meeting notes"), 2000, required=False)


def _determination_fields(form, outcomes, determinations, label, extra=()):
    """One outcome field per determination: "outcome" for a case decided once, "outcome_<key>" otherwise."""
    for key, name in determinations:
        field = f"outcome_{key}" if key else "outcome"
        form.fields[field] = forms.ChoiceField(
            label=f"{name}：{label}" if key else label, widget=forms.RadioSelect, choices=[*outcomes.choices, *extra]
        )
    form.determinations = determinations


def determination_outcomes(form) -> dict[str, str]:
    return {key: form.cleaned_data[f"outcome_{key}" if key else "outcome"] for key, _name in form.determinations}


class ResolutionForm(forms.Form):
    NEW_BALLOT = "new_ballot"

    text = long_text(_("Resolution text"), 4000)

    def __init__(self, *args, outcomes, determinations=(("", ""),), **kwargs):
        super().__init__(*args, **kwargs)
        _determination_fields(
            self,
            outcomes,
            determinations,
            _("Resolution"),
            extra=[(self.NEW_BALLOT, _("No outcome has the required majority: vote again"))],
        )
        self.order_fields([name for name in self.fields if name != "text"])

    @property
    def new_ballot(self) -> bool:
        return self.NEW_BALLOT in determination_outcomes(self).values()


class ConflictForm(forms.Form):
    conflicted = forms.ChoiceField(
        label=_("Do you have a conflict of interest in this case?"), choices=YES_NO, widget=forms.RadioSelect
    )
    note = long_text(_("Explanation"), 2000, required=False)


class VoteForm(forms.Form):
    reason = long_text(_("Reason"), 2000)

    def __init__(self, *args, outcomes, determinations=(("", ""),), **kwargs):
        super().__init__(*args, **kwargs)
        _determination_fields(self, outcomes, determinations, _("Your vote"))
        self.order_fields([name for name in self.fields if name != "reason"])


class ObjectionForm(forms.Form):
    text = long_text(_("Objection"), 4000)


class PaperObjectionForm(ObjectionForm):
    submitter_name = forms.CharField(label=_("Submitted on paper by"), max_length=100)


class ObjectionRulingForm(forms.Form):
    def __init__(self, *args, objections, **kwargs):
        super().__init__(*args, **kwargs)
        self.objections = list(objections)
        choices = [
            (ObjectionRuling.SUBSTANTIVE, ObjectionRuling.SUBSTANTIVE.label),
            (ObjectionRuling.NOT_SUBSTANTIVE, ObjectionRuling.NOT_SUBSTANTIVE.label),
        ]
        for objection in self.objections:
            self.fields[f"ruling_{objection.pk}"] = forms.ChoiceField(
                label=f"{objection.submitter_name}：{objection.text[:80]}",
                choices=choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{objection.pk}"] = forms.CharField(
                label=_("Reason"),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rulings(self):
        return {
            o.pk: (self.cleaned_data[f"ruling_{o.pk}"], self.cleaned_data[f"reason_{o.pk}"]) for o in self.objections
        }


class DecisionForm(forms.Form):
    facts = long_text(_("Facts established"), 8000)
    reasoning = long_text(_("Reasoning"), 8000)


class AppealForm(HeldUploadsFormMixin, forms.Form):
    held_purpose = "appeal"
    upload_fields = ("evidence",)

    reasons = long_text(_("Reasons for the appeal"), 4000)
    evidence = MultipleFileField(label=_("New evidence"), required=False)

    def files_uploaded(self):
        return self.uploads_held("evidence")
