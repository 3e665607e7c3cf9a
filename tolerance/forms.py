from django import forms
from django.utils.translation import gettext_lazy as _

from tolerance.attachment_categories import attachment_category_choices
from tolerance.models import Attachment


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
