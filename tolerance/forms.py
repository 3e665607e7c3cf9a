from django import forms
from django.utils.translation import gettext_lazy as _

from tolerance.models import Attachment


class AttachmentUploadForm(forms.Form):
    file = forms.FileField(label=_("文件"), error_messages={"required": _("请选择要上传的文件。")})
    category = forms.CharField(label=_("材料类别"), max_length=50, required=False)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    supersedes = forms.ModelChoiceField(
        label=_("替代以下材料"), queryset=Attachment.objects.none(), required=False,
        help_text=_("上传新版本时选择被替代的材料；原材料仍会保留。"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supersedes"].queryset = case.attachments.filter(superseded_by__isnull=True)
