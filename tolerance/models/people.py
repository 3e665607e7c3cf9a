from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """Who a user is in the real world: their institution and the details documents print."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("用户")
    )
    institution = models.ForeignKey(
        "tolerance.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("所属机构"),
        help_text=_("监管部门用户和企业联系人可不属于任何机构。"),
    )
    organisation = models.CharField(
        _("单位"), max_length=100, blank=True, help_text=_("不属于机构的用户所在单位，例如企业或科技局。")
    )
    real_name = models.CharField(_("姓名"), max_length=50)
    staff_number = models.CharField(_("工号"), max_length=30, blank=True)
    department = models.CharField(_("部门"), max_length=100, blank=True)
    phone = models.CharField(
        _("电话"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9+\-() ]{5,20}$", _("请输入有效的电话号码。"))],
    )
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("用户资料")
        verbose_name_plural = _("用户资料")

    def __str__(self):
        return self.real_name or self.user.get_username()
