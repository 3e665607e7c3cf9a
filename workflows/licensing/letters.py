"""The sealed letters of a licence in force, issued through the decisions layer so each verifies on
/verify/ like the licence: the payment notice (付费通知书) when the trigger fires, the demand for payment
(催款函), the breach notice (违约通知书, for an unpaid instalment or for missed usage reports) and the
termination notice (解除许可通知书). They are stored and shown to everyone, so they are written in the
site's language; the institution issues them in the name of the case's officer."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.decisions.content import DecisionContent, Ground
from tolerance.decisions.kinds import DecisionKindSpec
from tolerance.decisions.services import decision_issue

PAYMENT_KIND = "licence_payment"
DEMAND_KIND = "licence_demand"
BREACH_KIND = "licence_breach"
TERMINATION_KIND = "licence_termination"
ISSUED = "issued"
TEMPLATES = {"zh-hans": "decisions/licence_notice.html", "en": "decisions/en/licence_notice.html"}

KINDS = [
    DecisionKindSpec(
        kind=PAYMENT_KIND,
        label=gettext_lazy("Licence payment notice"),
        outcomes={ISSUED: gettext_lazy("Payment notified")},
        titles={"zh-hans": "付费通知书", "en": "Payment Notice"},
        templates=TEMPLATES,
    ),
    DecisionKindSpec(
        kind=DEMAND_KIND,
        label=gettext_lazy("Demand for payment"),
        outcomes={ISSUED: gettext_lazy("Payment demanded")},
        titles={"zh-hans": "催款函", "en": "Demand for Payment"},
        templates=TEMPLATES,
    ),
    DecisionKindSpec(
        kind=BREACH_KIND,
        label=gettext_lazy("Breach notice"),
        outcomes={ISSUED: gettext_lazy("Breach notified")},
        titles={"zh-hans": "违约通知书", "en": "Notice of Breach"},
        templates=TEMPLATES,
    ),
    DecisionKindSpec(
        kind=TERMINATION_KIND,
        label=gettext_lazy("Licence termination notice"),
        outcomes={ISSUED: gettext_lazy("Licence terminated")},
        titles={"zh-hans": "解除许可通知书", "en": "Notice of Termination of Licence"},
        templates=TEMPLATES,
    ),
]


def _issue(case, kind, build, issued_by=None):
    """Build the content in the site's language and issue it sealed, inside the caller's transaction."""
    with translation.override(settings.LANGUAGE_CODE):
        content = build()
    return decision_issue(case=case, kind=kind, outcome=ISSUED, content=content, issued_by=issued_by or case.filed_by)


def _licence_line(case) -> str:
    details = case.licensing
    return _("Licence contract %(contract)s of %(results)s, %(type)s") % {
        "contract": details.contract_number or case.number,
        "results": "、".join(result.title for result in details.results.order_by("number")),
        "type": details.get_licence_type_display(),
    }


def payment_notice_issue(*, case, dues, on):
    def build():
        return DecisionContent(
            facts=_("%(licence)s. The payment condition was met on %(on)s.")
            % {"licence": _licence_line(case), "on": on.isoformat()},
            grounds=[
                Ground(
                    condition=_("Payment trigger"),
                    finding=_("Met on %(on)s.") % {"on": on.isoformat()},
                    verdict="met",
                )
            ],
            reasoning=_("Under the contract the fees below fall due from the trigger."),
            licence_terms=[
                (due.basis, _("%(amount)s yuan, due on %(due)s") % {"amount": due.amount, "due": due.due_on})
                for due in dues
            ]
            + (
                [(_("Election"), _("By %(day)s") % {"day": case.licensing.election_due_on})]
                if case.licensing.election_due_on
                else []
            ),
        )

    return _issue(case, PAYMENT_KIND, build)


def demand_issue(*, case, due, today, received):
    def build():
        values = {
            "licence": _licence_line(case),
            "n": due.sequence,
            "amount": due.amount,
            "due": due.due_on.isoformat(),
            "days": (today - due.due_on).days,
            "received": received,
        }
        return DecisionContent(
            facts=_(
                "%(licence)s. Instalment %(n)s of %(amount)s yuan was due on %(due)s; %(received)s yuan of it has "
                "been received, and it is %(days)s days overdue."
            )
            % values,
            grounds=[
                Ground(condition=_("Instalment %(n)s due on %(due)s") % values, finding=_("Unpaid."), verdict="not_met")
            ],
            reasoning=_("The contract requires each instalment to be paid by its due date."),
            licence_terms=[(_("Amount overdue"), _("%(amount)s yuan") % {"amount": due.amount - received})],
        )

    return _issue(case, DEMAND_KIND, build)


def breach_issue(*, case, cure_by, grounds_text: list[str], overdue=None):
    def build():
        return DecisionContent(
            facts=_("%(licence)s. The licensee is in breach of the contract as set out below.")
            % {"licence": _licence_line(case)},
            grounds=[Ground(condition=text, finding=_("Not remedied."), verdict="not_met") for text in grounds_text],
            reasoning=_(
                "The contract allows a cure period of working days after the breach notice; a breach not cured "
                "within it allows the institution to terminate the licence."
            ),
            licence_terms=[(_("Cure by"), cure_by.isoformat())]
            + ([(_("Amount overdue"), _("%(amount)s yuan") % {"amount": overdue})] if overdue else []),
        )

    return _issue(case, BREACH_KIND, build)


def termination_issue(*, case, by, breach_notice, outstanding, reason):
    def build():
        notice = breach_notice.document.document_number if breach_notice.document_id else breach_notice.issued_on
        return DecisionContent(
            facts=_("%(licence)s. Breach notice %(notice)s set a cure period ending on %(cure)s; it was not cured.")
            % {"licence": _licence_line(case), "notice": notice, "cure": breach_notice.cure_by},
            grounds=[
                Ground(
                    condition=_("Breach cured within the cure period"),
                    finding=_("Not cured by %(cure)s.") % {"cure": breach_notice.cure_by},
                    verdict="not_met",
                )
            ],
            reasoning=reason,
            licence_terms=[
                (_("Amounts outstanding"), _("%(amount)s yuan") % {"amount": outstanding}),
                (_("Credit flag"), _("The licensee is entered on the credit-constraint list.")),
            ],
        )

    return _issue(case, TERMINATION_KIND, build, issued_by=by)
