from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """A university or research institute sharing the deployment, with its own policy settings.

    The policy numbers live here, not in code: the sources differ between institutions (publicity of
    5 working days and of 15 days both occur) and a committee may change them.
    """

    code = models.CharField(
        _("机构代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,11}$", _("机构代码须为 2–12 位大写字母或数字，以字母开头。"))],
        help_text=_("用于案件编号，例如 GUET。"),
    )
    name_zh = models.CharField(_("中文名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    document_number_prefix = models.CharField(
        _("文号前缀"), max_length=20, help_text=_("决定书文号前缀，例如“桂电容认”。")
    )
    publicity_working_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    objection_working_days = models.PositiveSmallIntegerField(
        _("异议期（工作日）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("公示开始后可提出异议的工作日数。"),
    )
    appeal_working_days = models.PositiveSmallIntegerField(
        _("复核申请期（工作日）"), default=15, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    supplement_working_days = models.PositiveSmallIntegerField(
        _("补正期限（工作日）"), default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    committee_quorum_percent = models.PositiveSmallIntegerField(
        _("委员会法定人数（%）"),
        default=67,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("未回避委员中须参加表决的最低比例。"),
    )
    vote_threshold_percent = models.PositiveSmallIntegerField(
        _("表决通过比例（%）"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("某一结论的票数须超过实际投票数的该比例方可通过。"),
    )
    hr_contact_email = models.EmailField(_("人事部门联系邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["code"]

    def __str__(self):
        return self.name_zh
