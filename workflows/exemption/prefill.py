"""F14: an exemption (A) case opened from a rectification (B) or pay-after-use licence (C) case, filled in
from it: a licensee's exit or default cites E06 (先使用后付费未获回款), a failed company the researcher left
their post to found cites E18 (离岗创业企业经营失败). The officer checks and completes the filing; once filed,
the two cases are related (audited on both, tolerance.services.cases.case_relate).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance import roles
from tolerance.models import Case, CaseType
from tolerance.selectors.cases import cases_visible_to, user_is_case_staff
from workflows import access
from workflows.exemption.models import TransferRoute, TriggerSource
from workflows.exemption.tolerance_list import PolicyItemKind
from workflows.steps.actions import CaseAction, register_case_action

# The licence stages in which the conversion has failed (the licensee left or defaulted).
LICENCE_FAILED_STAGES = ("exited", "terminated", "breach")
LEAVE_VENTURE = "leave"


def prefill_source(user, pk: str) -> Case:
    """The B or C case `user` may open an exemption case from; a Chinese error for anything else."""
    case = cases_visible_to(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if case is None or not user_is_case_staff(user, case):
        raise ValidationError(_("No case you can file from has this number."))
    if case.case_type not in (CaseType.RECTIFICATION, CaseType.PAY_AFTER_USE):
        raise ValidationError(_("Only a rectification or pay-after-use licence case can open an exemption case."))
    return case


def _entry(policy_version, code):
    return policy_version.items.filter(kind=PolicyItemKind.ENTRY, code=code).first()


def _from_licence(case: Case, policy_version) -> tuple[dict, list]:
    details = case.licensing
    result = details.results.order_by("pk").first()
    initial = {
        "route": TransferRoute.LICENCE,
        "counterparty": case.company.name if case.company_id else "",
        "contract_number": details.contract_number,
        "contract_amount": details.fee_total,
        "contract_signed_on": details.contract_effective_on,
        "result_title": f"{result.title}（{result.number}）" if result else "",
    }
    entries = [_entry(policy_version, "E06")] if case.stage in LICENCE_FAILED_STAGES else []
    # A licence's parties are the licensee's contacts, not staff: the officer names who was responsible.
    return initial, entries


def _from_rectification(case: Case, policy_version) -> tuple[dict, list]:
    details = case.rectification
    initial = {
        "route": TransferRoute.EQUITY,
        "counterparty": details.company_name,
        "failure_description": details.facts_verified or details.account,
    }
    entries = [_entry(policy_version, "E18")] if details.activity_kind == LEAVE_VENTURE else []
    return initial, entries


def prefill_from(source: Case, policy_version) -> tuple[dict, list[dict]]:
    """The filing form's initial values from `source`, and its subject rows (staff only)."""
    build = _from_licence if source.case_type == CaseType.PAY_AFTER_USE else _from_rectification
    initial, entries = build(source, policy_version)
    initial |= {
        # The form's limit: a long source title is cut, and the officer may reword it.
        "title": (
            _("Liability exemption following case %(number)s: %(title)s")
            % {"number": source.number, "title": source.title}
        )[:200],
        "trigger_source": TriggerSource.UNIT,
        "accountability_ref": source.number,
        "cited_entries": [entry.pk for entry in entries if entry is not None],
    }
    subjects = [
        {"user": link.user_id, "role": link.role_in_case, "audience": link.audience or "researcher", "post": link.post}
        for link in source.subject_links.select_related("user").order_by("id")
        if not roles.has_role(link.user, roles.LICENSEE_CONTACT)
    ]
    return {key: value for key, value in initial.items() if value not in (None, "")}, subjects


class OpenExemptionCase(CaseAction):
    """On a rectification or licence case's page: the officer opens the exemption case it calls for."""

    def who(self, user, case):
        return case.case_type in (CaseType.RECTIFICATION, CaseType.PAY_AFTER_USE) and access.is_case_officer(user, case)

    def not_now(self, user, case):
        return ""

    def url(self, case):
        from workflows.exemption.flow import ExemptionFlow  # the flow imports the views, which import this

        return f"{ExemptionFlow.start.reverse('execute')}?from={case.pk}"


OPEN_EXEMPTION_CASE = OpenExemptionCase("exemption_from_case", gettext_lazy("Open an exemption case from this case"))


def register() -> None:
    register_case_action(OPEN_EXEMPTION_CASE)
