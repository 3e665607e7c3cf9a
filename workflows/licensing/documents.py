"""What a licence case writes for the shared steps: the publicity notice (the fee is publicised, 16号(十))
and the licence decision's content with its schedule of terms."""

from django.utils.translation import gettext as _

from tolerance.decisions.content import DecisionContent, Ground
from tolerance.models import Case
from workflows.licensing.models import LicensingOutcome, PaymentMode
from workflows.licensing.services import review_latest
from workflows.steps.committee import resolution_sentence, review_current


def _fee_text(details) -> str:
    if details.payment_mode == PaymentMode.ROYALTY:
        return _("%(rate)s%% of net sales after the trigger, up to %(cap)s yuan in total") % {
            "rate": details.royalty_percent,
            "cap": details.fee_total,
        }
    if details.payment_mode == PaymentMode.STAGED:
        return _("%(total)s yuan in %(count)s instalments after the trigger") % {
            "total": details.fee_total,
            "count": details.instalments,
        }
    return _("%(total)s yuan in one payment after the trigger") % {"total": details.fee_total}


def _trigger_text(details) -> str:
    parts = []
    if details.trigger_date:
        parts.append(_("on %(date)s") % {"date": details.trigger_date.isoformat()})
    if details.trigger_milestone:
        parts.append(_("when “%(milestone)s” is confirmed") % {"milestone": details.trigger_milestone})
    if details.trigger_revenue is not None:
        parts.append(_("when cumulative net sales reach %(amount)s yuan") % {"amount": details.trigger_revenue})
    return (("；" if len(parts) > 1 else "").join(parts)) + (
        f"（{details.get_trigger_mode_display()}）" if len(parts) > 1 else ""
    )


def licence_terms(details) -> list[tuple[str, str]]:
    results = "；".join(str(r) for r in details.results.order_by("number"))
    return [
        (_("Licensor"), details.case.institution.name_zh),
        (_("Licensee"), f"{details.case.company.name}（{details.case.company.uscc}）"),
        (_("Results licensed"), results),
        (_("Licence type"), details.get_licence_type_display()),
        (_("Fields of use"), "、".join(details.fields_of_use)),
        (_("Territories"), "、".join(details.territories)),
        (_("Term"), f"{details.start_on.isoformat()} — {details.end_on.isoformat()}"),
        (
            _("Free-use period"),
            _("%(months)s months from the contract's effective date") % {"months": details.free_use_months},
        ),
        (_("Payment trigger"), _trigger_text(details)),
        (_("Licence fee"), _fee_text(details)),
        (
            _("Usage reports"),
            _("Every %(months)s months, due %(days)s days after each period")
            % {
                "months": details.policy_version.data["report_interval_months"],
                "days": details.policy_version.data["report_due_days"],
            },
        ),
        (
            _("Exit"),
            _(
                "The licensee may exit with %(days)s days' written notice; before the trigger no fee is due, amounts paid are not refunded"
            )
            % {
                "days": details.policy_version.data["exit_notice_days"],
            },
        ),
        (
            _("Breach"),
            _(
                "Overdue payment: demand after %(demand)s days, breach notice after %(breach)s days with a cure period of %(cure)s working days; uncured, the licence may be terminated"
            )
            % {
                "demand": details.policy_version.data["demand_after_days"],
                "breach": details.policy_version.data["breach_notice_after_days"],
                "cure": details.policy_version.data["cure_working_days"],
            },
        ),
    ]


def licensing_publicity_notice(*, case: Case) -> str:
    details = case.licensing
    return _(
        "Notice of publicity. %(institution)s proposes to license %(results)s to %(licensee)s as a %(type)s "
        "on pay-after-use terms: %(fee)s. Anyone with an objection may lodge it through the system or in "
        "writing to the technology transfer office during the publicity period."
    ) % {
        "institution": case.institution.name_zh,
        "results": "、".join(f"“{r.title}”" for r in details.results.order_by("number")),
        "licensee": case.company.name,
        "type": details.get_licence_type_display(),
        "fee": _fee_text(details),
    }


def licensing_decision_content(*, case: Case, facts: str, reasoning: str) -> DecisionContent:
    review = review_latest(case)
    grounds = [
        Ground(condition=_("Ownership clear, no dispute"), verdict="met", finding=_("Confirmed by the review.")),
        Ground(condition=_("Every inventor consents"), verdict="met", finding=_("Confirmed by the review.")),
        Ground(
            condition=_("Conflict check against every licence of the institution"),
            verdict="met",
            finding=review.proceed_reason or _("No conflict found."),
        ),
    ]
    committee = review_current(case)
    return DecisionContent(
        facts=facts,
        grounds=grounds,
        reasoning=reasoning,
        committee_resolution=resolution_sentence(committee, LicensingOutcome(committee.outcome).label),
        licence_terms=licence_terms(case.licensing),
    )


def licensing_decision_notice(*, case: Case, outcome: str) -> str:
    return _("Record the signed contract; it must be recorded with CNIPA within the policy's deadline.")
