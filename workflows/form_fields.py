"""Field shapes every flow's forms use, so bounds and widgets match across case types."""

from django import forms
from django.utils.translation import gettext_lazy as _

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Money in yuan: Decimal with fen, never a float; the bound mirrors the models' max_digits=14.
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0, "max_value": 10**12 - 1}


def long_text(label, max_length, required=True, **kwargs):
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": 3}), **kwargs
    )
