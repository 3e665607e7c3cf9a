from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tolerance.decisions.document import verification_code_normalise


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("Printed beside the QR code on the decision, e.g. ABCDE-FGH23."),
    )

    def clean_code(self):
        code = verification_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("A verification code has ten letters and digits, e.g. ABCDE-FGH23."))
        return code


class VerificationUploadForm(forms.Form):
    file = forms.FileField(label=_("Decision PDF"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.DECISION_VERIFY_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s; decision documents are much smaller.")
                % {"limit": filesizeformat(limit)}
            )
        return uploaded.read()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
