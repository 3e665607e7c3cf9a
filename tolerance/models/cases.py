from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    EXEMPTION = "MZ", _("容错免责认定")
    RECTIFICATION = "ZG", _("离岗创业合规整改")
    PAY_AFTER_USE = "XK", _("先使用后付费")


class CaseStage(models.TextChoices):
    """Where a case stands, in the words a researcher understands. Flows set it as they move."""

    DRAFT = "draft", _("待提交")
    COMPLETENESS_CHECK = "completeness_check", _("材料完整性审查中")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("已退回补正材料")
    REFUSED = "refused", _("不予受理")
    INVESTIGATION = "investigation", _("调查核实中")
    RULE_EVALUATION = "rule_evaluation", _("认定意见拟定中")
    COMMITTEE_REVIEW = "committee_review", _("委员会审议中")
    PUBLICITY = "publicity", _("公示中")
    OBJECTION_REVIEW = "objection_review", _("异议处理中")
    DECISION = "decision", _("决定书制作中")
    APPEAL_WINDOW = "appeal_window", _("已作出决定，复核申请期内")
    APPEAL_REVIEW = "appeal_review", _("复核审议中")
    CLOSED = "closed", _("已办结归档")


class Case(models.Model):
    """What every case type shares: who it is about, who filed it, and its number.

    The number is allocated once, per institution, type and year, inside the filing transaction
    (see services.cases.case_number_allocate), so it is never reused and has no gaps.
    """

    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="cases", verbose_name=_("机构")
    )
    case_type = models.CharField(_("案件类型"), max_length=2, choices=CaseType.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("案件编号"), max_length=40, unique=True)
    title = models.CharField(_("案件名称"), max_length=200)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filed_cases", verbose_name=_("经办人")
    )
    filed_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    subjects = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="tolerance.CaseSubject",
        related_name="subject_of_cases",
        verbose_name=_("当事人"),
    )
    process = models.OneToOneField(
        "viewflow.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("流程"),
    )
    stage = models.CharField(_("当前阶段"), max_length=40, choices=CaseStage.choices, default=CaseStage.DRAFT)
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    next_due = models.DateField(_("办理期限"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "case_type", "year", "sequence"], name="case_sequence_unique"
            )
        ]
        indexes = [models.Index(fields=["institution", "-id"], name="case_institution_recent")]

    def __str__(self):
        return f"{self.number} {self.title}"


class CaseSubject(models.Model):
    """A researcher the case is about; only these researchers may see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subject_links", verbose_name=_("案件"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("当事人")
    )
    role_in_case = models.CharField(_("在案件中的身份"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("案件当事人")
        verbose_name_plural = _("案件当事人")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_subject_unique")]

    def __str__(self):
        return f"{self.case.number}: {self.user}"


class CaseNumberSequence(models.Model):
    """The last number handed out per institution, case type and year; locked while allocating."""

    institution = models.ForeignKey("tolerance.Institution", on_delete=models.PROTECT)
    case_type = models.CharField(max_length=2, choices=CaseType.choices)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("案件编号序列")
        verbose_name_plural = _("案件编号序列")
        constraints = [
            models.UniqueConstraint(fields=["institution", "case_type", "year"], name="case_number_sequence_unique")
        ]
