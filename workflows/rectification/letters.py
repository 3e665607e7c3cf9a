"""The rectification case's sealed documents besides the notice and the decision (domain-rectification.md
§8): the 不予受理通知书, the 中止通知书, the 合规问题认定告知书, per item the 延期整改审批单 and the
整改事项验收单, the 移送函 of a failed case, and the subject's 整改承诺书 (written in statement). Each is a decision kind of its own (registered in
case_type), issued inside the transaction of the step that causes it and written in the site's language,
because it is stored and shown to everyone."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.decisions.content import DecisionContent, Ground
from tolerance.decisions.kinds import DecisionKindSpec
from tolerance.decisions.services import decision_issue
from tolerance.models import Case, Department

REFUSAL = "rectification_refusal"
SUSPENSION = "rectification_suspension"
GAP_NOTICE = "rectification_gap_notice"
EXTENSION = "rectification_extension"
ACCEPTANCE = "rectification_acceptance"
REFERRAL = "rectification_referral"
COMMITMENT = "rectification_commitment"

ISSUED = "issued"
SIGNED = "signed"


def _kind(kind: str, label, outcomes: dict, zh: str, en: str) -> DecisionKindSpec:
    return DecisionKindSpec(
        kind=kind,
        label=label,
        outcomes=outcomes,
        titles={"zh-hans": zh, "en": en},
        templates={"zh-hans": f"decisions/{kind}.html", "en": f"decisions/en/{kind}.html"},
    )


KINDS = [
    _kind(
        REFUSAL,
        gettext_lazy("Notice of non-acceptance"),
        {"not_accepted": gettext_lazy("not accepted")},
        "不予受理通知书",
        "Notice of Non-acceptance",
    ),
    _kind(
        SUSPENSION,
        gettext_lazy("Notice of suspension"),
        {"suspended": gettext_lazy("suspended")},
        "合规整改中止通知书",
        "Notice of Suspension",
    ),
    _kind(
        GAP_NOTICE,
        gettext_lazy("Notice of the compliance gaps found"),
        {ISSUED: gettext_lazy("gaps notified")},
        "合规问题认定告知书",
        "Notice of Compliance Gaps",
    ),
    _kind(
        EXTENSION,
        gettext_lazy("Extension approval form"),
        {"granted": gettext_lazy("granted"), "refused": gettext_lazy("refused")},
        "延期整改审批单",
        "Extension Approval Form",
    ),
    _kind(
        ACCEPTANCE,
        gettext_lazy("Item acceptance form"),
        {
            "passed": gettext_lazy("accepted"),
            "returned": gettext_lazy("returned for correction"),
            "failed": gettext_lazy("not accepted"),
        },
        "整改事项验收单",
        "Item Acceptance Form",
    ),
    _kind(
        REFERRAL,
        gettext_lazy("Referral letter of a failed rectification"),
        {"referred": gettext_lazy("referred")},
        "合规整改移送函",
        "Referral Letter",
    ),
    _kind(
        COMMITMENT,
        gettext_lazy("Rectification commitment"),
        {SIGNED: gettext_lazy("signed by the subject")},
        "整改承诺书",
        "Rectification Commitment",
    ),
]


def department_name(code: str) -> str:
    try:
        return str(Department(code).label)
    except ValueError:
        return code


def _issue(case: Case, kind: str, outcome: str, build, issued_by):
    with translation.override(settings.LANGUAGE_CODE):
        content = build()
    return decision_issue(case=case, kind=kind, outcome=outcome, content=content, issued_by=issued_by)


def _declared(case: Case) -> str:
    details = case.rectification
    return _("%(activity)s at %(company)s (unified social credit code %(uscc)s), declared on %(declared)s.") % {
        "activity": details.get_activity_kind_display(),
        "company": details.company_name,
        "uscc": details.company_uscc,
        "declared": details.declared_on,
    }


def refusal_issue(*, case: Case, reason: str, issued_by):
    return _issue(
        case,
        REFUSAL,
        "not_accepted",
        lambda: DecisionContent(
            facts=_declared(case),
            grounds=[Ground(condition=_("Scope and completeness of the declaration"), finding=reason)],
            reasoning=reason,
        ),
        issued_by,
    )


def suspension_issue(*, case: Case, reason: str, remaining: dict, issued_by):
    """`remaining`: deadline label → (amount, unit label), as frozen by the suspension."""
    return _issue(
        case,
        SUSPENSION,
        "suspended",
        lambda: DecisionContent(
            facts=_declared(case) + "\n\n" + reason,
            grounds=[
                Ground(condition=label, finding=_("%(amount)s %(unit)s remaining") % {"amount": amount, "unit": unit})
                for label, (amount, unit) in remaining.items()
            ]
            or [Ground(condition=_("Deadlines"), finding=_("No deadline was running."))],
            reasoning=reason,
        ),
        issued_by,
    )


def gap_notice_issue(*, case: Case, statement_days: int, issued_by):
    def build():
        grounds = [
            Ground(
                condition=f"{item.gap.code} {item.gap.title}",
                finding=_("%(finding)s\nBasis: %(basis)s\nSeverity: %(severity)s")
                % {"finding": item.finding, "basis": item.gap.basis or "—", "severity": item.get_severity_display()},
            )
            for item in case.rectification_items.select_related("gap")
        ]
        grounds += [
            Ground(condition=f"{hit.code} {hit.title}", finding=hit.basis, verdict="applies")
            for hit in case.rectification.negative_hits.order_by("order")
        ]
        return DecisionContent(
            facts=_declared(case),
            grounds=grounds,
            reasoning=_("You may submit a statement contesting these gaps within %(days)s working days.")
            % {"days": statement_days},
            tolerance_list_version=str(case.rectification.catalogue),
        )

    return _issue(case, GAP_NOTICE, ISSUED, build, issued_by)


def _item_condition(item) -> str:
    return f"{item.gap.code} {item.gap.title}"


def extension_form_issue(*, extension, issued_by):
    item = extension.item

    def build():
        finding = _("Requested: %(length)s %(unit)s. Reason: %(reason)s") % {
            "length": extension.length,
            "unit": item.get_deadline_unit_display(),
            "reason": extension.reason,
        }
        if extension.new_due_on:
            finding += "\n" + _("New deadline: %(date)s") % {"date": extension.new_due_on}
        return DecisionContent(
            facts=_("Item %(code)s: %(remedy)s") % {"code": item.gap.code, "remedy": item.remedy},
            grounds=[Ground(condition=_item_condition(item), finding=finding)],
            reasoning=extension.decision_reason or _("The request is within the cap and its reasons hold."),
        )

    return _issue(item.case, EXTENSION, extension.decision, build, issued_by)


def acceptance_form_issue(*, item, issued_by):
    def build():
        return DecisionContent(
            facts=_("Item %(code)s, verified by %(verifier)s: %(remedy)s")
            % {"code": item.gap.code, "verifier": item.departments_text(), "remedy": item.remedy},
            grounds=[
                Ground(
                    condition=_item_condition(item),
                    finding=_("Evidence required: %(evidence)s\nTimes returned: %(returns)s")
                    % {"evidence": item.evidence_required, "returns": item.returns},
                    evidence=[entry.note or entry.attachment.original_name for entry in item.evidence.all()],
                )
            ],
            reasoning=item.note or _("The evidence is complete."),
        )

    return _issue(item.case, ACCEPTANCE, item.status, build, issued_by)


def referral_letter_content(*, case: Case, to_department: str, decision) -> DecisionContent:
    """The 移送函 of a failed rectification: the facts, the items that failed and an index of the evidence."""
    items = case.rectification_items.select_related("gap").prefetch_related("evidence__attachment")
    return DecisionContent(
        facts=_("To %(body)s: by decision %(decision)s the rectification of case %(case)s failed. %(declared)s")
        % {
            "body": department_name(to_department),
            "decision": decision.document_number,
            "case": case.number,
            "declared": _declared(case),
        },
        grounds=[
            Ground(
                condition=_item_condition(item),
                finding=f"{item.get_status_display()}。{item.note}".strip(),
                evidence=[entry.note or entry.attachment.original_name for entry in item.evidence.all()],
                verdict="met" if item.status == "passed" else "not_met",
            )
            for item in items
        ],
        reasoning=_(
            "The matter is referred to you to be dealt with under the law and the institution's rules; please "
            "acknowledge receipt in the system."
        ),
    )
