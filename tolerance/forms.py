from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tolerance.attachment_categories import attachment_category_choices
from tolerance.models import Attachment
from tolerance.selectors.uploads import pending_uploads_of


class AttachmentUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), error_messages={"required": _("Please choose a file to upload.")})
    category = forms.ChoiceField(label=_("Evidence category"), choices=attachment_category_choices, required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    supersedes = forms.ModelChoiceField(
        label=_("Replaces"),
        queryset=Attachment.objects.none(),
        required=False,
        help_text=_("When uploading a new version, choose the file it replaces; the original is kept."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supersedes"].queryset = case.attachments.filter(superseded_by__isnull=True)
        self.fields["category"].choices = attachment_category_choices(case.case_type)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files in one input (Django's "Uploading multiple files"); cleans to a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        check = super().clean
        return [check(upload, initial) for upload in uploads]


class HeldUploadsFormMixin:
    """A form whose files outlive its rejection, so nobody has to upload the same files twice.

    The view (tolerance.views.held_uploads.HeldUploadsMixin) holds every file uploaded with the form for
    its user (PendingUpload); a re-rendered form lists them with a box to drop each, and the hidden field
    `held` carries their ids into the next submission, where `uploads_held(field)` gives them to the service.
    A class sets `held_purpose` (its key) and `upload_fields` (its MultipleFileFields).
    """

    held_purpose = ""
    upload_fields = ()

    def __init__(self, *args, uploader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held"] = forms.Field(label="", widget=forms.MultipleHiddenInput, required=False)
        given = self._values("held")
        ids = {int(value) for value in given if str(value).isascii() and str(value).isdigit() and len(str(value)) <= 18}
        claimed = pending_uploads_of(uploader, purpose=self.held_purpose, ids=ids)
        # Someone else's id, one already used or expired, or no id at all: refused, never trusted.
        self.held_refused = len(claimed) != len(given)
        dropped = set(self._values("held_drop"))
        self.held_dropped = [held for held in claimed if str(held.pk) in dropped]
        self.held_kept = [held for held in claimed if str(held.pk) not in dropped]
        self.held_listed = claimed
        self.uploads_were_held = False
        self._held_drop_field()

    def _values(self, name):
        return forms.MultipleHiddenInput().value_from_datadict(self.data, self.files, self.add_prefix(name)) or []

    def _held_drop_field(self):
        if not self.held_listed:
            self.fields.pop("held_drop", None)
        elif "held_drop" not in self.fields:
            self.fields["held_drop"] = forms.MultipleChoiceField(
                label=_("Files kept from your last submission"),
                help_text=_("You need not upload these again. Tick a file to remove it."),
                # Called when rendered, so files held after validation are listed too.
                choices=self._held_choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def _held_choices(self):
        return [(str(held.pk), self._held_label(held)) for held in self.held_listed]

    def _held_label(self, held):
        label = gettext("%(name)s (%(size)s)") % {"name": held.original_name, "size": filesizeformat(held.size)}
        if len(self.upload_fields) > 1 and held.field in self.fields:
            label = gettext("%(field)s: %(file)s") % {"field": self.fields[held.field].label, "file": label}
        return label

    def held_in(self, field: str) -> bool:
        return any(held.field == field for held in self.held_kept)

    def clean(self):
        data = super().clean()
        if self.held_refused:
            self.add_error(
                None,
                _(
                    "A file kept from an earlier submission is not yours, or is no longer kept; "
                    "upload it again if you need it."
                ),
            )
        return data

    def uploads_new(self):
        """(field, file) for each file uploaded with this submission that passed the form's checks."""
        return [(field, upload) for field in self.upload_fields for upload in self.cleaned_data.get(field) or ()]

    def uploads_held_set(self, held: list) -> None:
        """The view held this submission's files: from now on these are the form's files, listed if re-rendered."""
        self.uploads_were_held = True
        self.held_kept = self.held_listed = list(held)
        data = self.data.copy()
        data.setlist(self.add_prefix("held"), [str(upload.pk) for upload in held])
        data.setlist(self.add_prefix("held_drop"), [])
        self.data = data
        self._held_drop_field()

    def uploads_held(self, field: str) -> list:
        """The held files (PendingUpload) of `field`, for the service; attachment_add accepts them."""
        return [held for held in self.held_kept if held.field == field]


class ListFormSet(forms.BaseFormSet):
    """The rows of a list the user enters; rows left empty are not part of it.

    A service checks the list once; its error about item i (ValidationError params["index"]) is shown on
    the row that item came from (see tolerance.views.service_form.service_error_to_form).
    """

    def filled_forms(self) -> list:
        return [form for form in self.forms if form.has_changed()]

    def add_service_errors(self, errors) -> None:
        rows = self.filled_forms()
        for error in errors:
            index = (error.params or {}).get("index")
            if isinstance(index, int) and 0 <= index < len(rows):
                rows[index].add_error(None, error)
            else:
                self.non_form_errors().append(error)
