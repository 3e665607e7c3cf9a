"""Writes of the investigation and the rule evaluation: findings per item (for the case or for one
person), then a determination per person that the second officer confirms."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from workflows.access import is_second_officer
from workflows.exemption import rules
from workflows.exemption.determinations import (
    case_subjects,
    investigation_rows,
    is_per_subject,
    subject_name,
    version_rules,
)
from workflows.exemption.models import (
    PER_SUBJECT_OUTCOME,
    ExemptionOutcome,
    ExemptionStage,
    Finding,
    ReductionKind,
    RuleEvaluation,
    SubjectDetermination,
)
from workflows.exemption.tolerance_list import PolicyItem, PolicyItemKind
from workflows.nodes import separation_refusal, steps_text
from workflows.steps.department_opinions import opinions_waiting_check


def investigation_items(case: Case) -> list[PolicyItem]:
    return list(case.exemption.policy_version.items.exclude(kind=PolicyItemKind.ENTRY))


def _row_key(item, subject) -> str:
    return str(item.pk) if subject is None else f"{item.pk}_{subject.pk}"


def findings_record(*, case: Case, recorded_by, findings: list[dict], rows: list | None = None) -> None:
    """Record the investigator's finding on every row the case needs (see determinations.investigation_rows).

    Each dict: item (PolicyItem), subject (CaseSubject or None for a fact of the case), holds (bool),
    note (str), evidence (attachments of this case) and, where the system computed the item's facts,
    override_reason when the finding departs from them. A re-investigation replaces the earlier findings;
    the audit trail keeps them. The writes are a fixed number of statements whatever the item count.
    `rows`: the case's investigation rows when the caller computed them in this request (the page did, for
    its form), so they are not read twice.
    """
    if rows is None:
        rows = investigation_rows(case, investigation_items(case), case_subjects(case))
    rows = {row.key: row for row in rows if not row.not_applicable}
    given = {_row_key(row["item"], row.get("subject")): row for row in findings}
    if set(given) != set(rows):
        raise ValidationError(_("Record a finding for every condition, negative-list item and mitigating factor."))
    for key, row in given.items():
        item = row["item"]
        text_validate(row["note"], label=_("finding"), multiline=True, field=f"note_{key}")
        text_validate(
            row.get("override_reason", ""), label=_("override reason"), multiline=True, field=f"override_{key}"
        )
        if any(attachment.case_id != case.pk for attachment in row["evidence"]):
            raise ValidationError(_("Evidence must be attached to this case."))
        if item.kind == PolicyItemKind.CONDITION and row["holds"] and not row["evidence"]:
            raise ValidationError(
                {
                    f"evidence_{key}": _("Condition “%(title)s” is marked met: link the evidence that shows it.")
                    % {"title": item.title}
                }
            )
        required = item.checks.get("evidence_required", [])
        if row["holds"] and required and not any(a.category in required for a in row["evidence"]):
            raise ValidationError(
                {
                    f"evidence_{key}": _("“%(title)s” needs the minutes of the collective decision as evidence.")
                    % {"title": item.title}
                }
            )
        computed = rows[key].computed
        if computed is not None and row["holds"] != computed.met and not row.get("override_reason", "").strip():
            raise ValidationError(
                {f"override_{key}": _("The finding departs from the computed facts: give the reason.")}
            )
        _check_forced(key, row, rows[key].forced_by, given.values())
        if any(head not in item.checks.get("sub_checklist", []) for head in row.get("checklist", [])):
            raise ValidationError({f"checklist_{key}": _("Choose the heads of duty from the offered list.")})
    # Every check is above, so nothing below is caught and retried: inside the task's transaction a savepoint
    # would only add two statements; called alone, this still opens its own transaction.
    with transaction.atomic(savepoint=False):
        Finding.objects.filter(case=case).delete()
        created = Finding.objects.bulk_create(
            [
                Finding(
                    case=case,
                    subject=row.get("subject"),
                    item=row["item"],
                    holds=row["holds"],
                    note=_with_override(row),
                    checklist=list(row.get("checklist", [])),
                    recorded_by=recorded_by,
                )
                for row in given.values()
            ]
        )
        Finding.evidence.through.objects.bulk_create(
            [
                Finding.evidence.through(finding_id=finding.pk, attachment_id=attachment.pk)
                for finding, row in zip(created, given.values(), strict=True)
                for attachment in row["evidence"]
            ]
        )
        case_stage_set(case=case, stage=ExemptionStage.RULE_EVALUATION)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=case,
            payload={
                "form": "investigation",
                "findings": [
                    {
                        "item": row["item"].code,
                        "kind": row["item"].kind,
                        "holds": row["holds"],
                        "note": row["note"],
                        "evidence": [a.pk for a in row["evidence"]],
                    }
                    | ({"subject": row["subject"].user.get_username()} if row.get("subject") else {})
                    | ({"override_reason": row["override_reason"]} if row.get("override_reason") else {})
                    | ({"checklist": list(row["checklist"])} if row.get("checklist") else {})
                    for row in given.values()
                ],
            },
        )


def _check_forced(key, row, forced_by, given):
    """F06: C2 or C3 not met for a person, and no emergency that excuses it, means N8 applies to them,
    unless the investigator gives the reason it does not (kept in the finding and the audit event)."""
    if not forced_by or row["holds"] or row.get("override_reason", "").strip():
        return
    failed = [
        other["item"].code
        for other in given
        if other["item"].code in forced_by
        and not other["holds"]
        and other.get("subject") in (None, row.get("subject"))
        and other["item"].applies_to_audience(row["subject"].audience if row.get("subject") else "")
    ]
    if failed:
        raise ValidationError(
            {
                f"override_{key}": _(
                    "%(codes)s not met and no emergency recorded: “%(title)s” applies, or give the reason it does not."
                )
                % {"codes": "、".join(sorted(set(failed))), "title": row["item"].title}
            }
        )


def _with_override(row) -> str:
    reason = row.get("override_reason", "").strip()
    return row["note"] + (
        "\n" + _("Departs from the computed facts because: %(reason)s") % {"reason": reason} if reason else ""
    )


def _subject_inputs(case, subject, rows, recorded):
    """The rules' inputs for one person (None: the case as a whole, for versions judged once)."""
    inputs = {kind: [] for kind in PolicyItemKind.values if kind != PolicyItemKind.ENTRY}
    audience = subject.audience if subject else ""
    for item in sorted({row.item.pk: row.item for row in rows}.values(), key=lambda i: (i.kind, i.order, i.code)):
        if not item.applies_to_audience(audience):
            inputs[item.kind].append(
                rules.ItemFinding(
                    code=item.code, title=item.title, holds=None, not_applicable=_("Not applicable to this person.")
                )
            )
            continue
        row = next((r for r in rows if r.item.pk == item.pk and r.subject in (None, subject)), None)
        holds = recorded.get((item.pk, row.subject.pk if row and row.subject else None))
        inputs[item.kind].append(
            rules.ItemFinding(
                code=item.code, title=item.title, holds=holds, not_applicable=row.not_applicable if row else ""
            )
        )
    return inputs


@dataclass(frozen=True)
class Proposal:
    subject: object
    evaluation: rules.Evaluation


def determinations_propose(case: Case) -> list[Proposal]:
    """Run the rules once per person (or once for the case under a version that judges it once)."""
    version = case.exemption.policy_version
    version_rule = version_rules(case)
    subjects = case_subjects(case)
    rows = investigation_rows(case, investigation_items(case), subjects)
    recorded = {(f.item_id, f.subject_id): f.holds for f in case.findings.all()}
    targets = subjects if is_per_subject(case) else [None]
    proposals = []
    for subject in targets:
        inputs = _subject_inputs(case, subject, rows, recorded)
        evaluation = rules.evaluate(
            conditions=inputs[PolicyItemKind.CONDITION],
            negatives=inputs[PolicyItemKind.NEGATIVE],
            mitigating=inputs[PolicyItemKind.MITIGATING],
            exempting=inputs[PolicyItemKind.EXEMPTING],
            negative_mitigable=version.negative_mitigable,
            audience=subject.audience if subject else "",
            researcher_default=version_rule.get("researcher_default", ""),
            researcher_default_requires=tuple(version_rule.get("researcher_default_requires", [])),
        )
        proposals.append(Proposal(subject=subject, evaluation=evaluation))
    return proposals


def evaluation_propose(case: Case) -> rules.Evaluation:
    """The case's proposal: the one outcome every person shares, or PER_SUBJECT when they differ."""
    proposals = determinations_propose(case)
    outcomes = {p.evaluation.proposal for p in proposals}
    if len(proposals) == 1:
        return proposals[0].evaluation
    if len(outcomes) == 1:
        return rules.Evaluation(
            proposal=outcomes.pop(),
            lines=[],
            summary=" ".join(f"{subject_name(p.subject)}：{p.evaluation.summary}" for p in proposals),
        )
    return rules.Evaluation(
        proposal=PER_SUBJECT_OUTCOME,
        lines=[],
        summary=" ".join(f"{subject_name(p.subject)}：{p.evaluation.summary}" for p in proposals),
    )


@dataclass(frozen=True)
class Confirmation:
    """The second officer's confirmation for one person (or the case, when it is judged once: subject None)."""

    subject: object
    outcome: str
    override_reason: str = ""
    liability_scope: tuple = ()
    reduction_kind: str = ""
    remaining_liability: str = ""
    correction_items: str = ""


def _check_confirmation(case, proposal: Proposal, row: Confirmation, scope_options):
    key = str(proposal.subject.pk) if proposal.subject else ""
    suffix = f"_{key}" if key else ""
    if row.outcome not in ExemptionOutcome.values:
        raise ValidationError({f"outcome{suffix}": _("Choose one of the offered outcomes.")})
    text_validate(row.override_reason, label=_("override reason"), multiline=True, field=f"override_reason{suffix}")
    text_validate(row.correction_items, label=_("correction order"), multiline=True, field=f"correction{suffix}")
    text_validate(
        row.remaining_liability, label=_("liability that remains"), multiline=True, field=f"remaining{suffix}"
    )
    if row.outcome != proposal.evaluation.proposal and not row.override_reason.strip():
        raise ValidationError(
            {f"override_reason{suffix}": _("Give a written reason for overriding the proposed outcome.")}
        )
    if any(scope not in scope_options for scope in row.liability_scope):
        raise ValidationError({f"scope{suffix}": _("Choose the liability heads from the offered list.")})
    if row.reduction_kind and row.reduction_kind not in ReductionKind.values:
        raise ValidationError({f"reduction{suffix}": _("Choose one of the offered kinds of reduction.")})
    if row.outcome == ExemptionOutcome.REDUCED and scope_options and not row.reduction_kind:
        raise ValidationError(
            {f"reduction{suffix}": _("Say whether the liability is lightened (从轻) or mitigated (减轻).")}
        )
    if row.outcome == ExemptionOutcome.REDUCED and scope_options and not row.liability_scope:
        raise ValidationError({f"scope{suffix}": _("Choose the liability heads the reduction concerns.")})
    if row.outcome == ExemptionOutcome.REDUCED and scope_options and not row.remaining_liability.strip():
        raise ValidationError({f"remaining{suffix}": _("Say what liability remains after the reduction.")})
    if (
        proposal.evaluation.correction_required
        and row.outcome == ExemptionOutcome.EXEMPT
        and not row.correction_items.strip()
    ):
        raise ValidationError(
            {
                f"correction{suffix}": _(
                    "The rule that exempts this researcher requires a correction order: list its items."
                )
            }
        )


def evaluation_confirm(
    *, case: Case, confirmed_by, outcome: str = "", override_reason: str = "", rows: list[Confirmation] | None = None
) -> RuleEvaluation:
    """Four-eyes: an officer other than the filer and the investigator confirms each person's proposal or
    overrides it with a reason. `rows` gives one Confirmation per person; a case judged once may pass the
    single `outcome` and `override_reason` instead."""
    if not is_second_officer(confirmed_by, case):
        raise ValidationError(_("The officer who filed the case cannot confirm its evaluation."))
    # The same separation of duties as the flow's evaluate node: the investigator does not confirm either.
    if taken := separation_refusal(confirmed_by, case, "evaluate"):
        raise ValidationError(
            _("You took part in this case (%(steps)s); another officer must confirm its evaluation.")
            % {"steps": steps_text(taken)}
        )
    # X1: the departments asked for their joint opinions answer, or are recorded as 逾期未反馈, first.
    opinions_waiting_check(case)
    # The stored explanation is read on every page in the site's language, whoever confirmed it.
    with translation.override(settings.LANGUAGE_CODE):
        proposals = determinations_propose(case)
        combined = evaluation_propose(case)
    if rows is None:
        rows = [Confirmation(subject=p.subject, outcome=outcome, override_reason=override_reason) for p in proposals]
    by_subject = {row.subject.pk if row.subject else None: row for row in rows}
    if set(by_subject) != {p.subject.pk if p.subject else None for p in proposals}:
        raise ValidationError(_("Confirm the outcome of every person concerned."))
    scope_options = version_rules(case).get("liability_scope_options", [])
    correction_days = version_rules(case).get("correction_order_default_days")
    # The policy counts the correction period in calendar days (30 days by default, domain note §4).
    correction_due = (
        timezone.localdate() + datetime.timedelta(days=correction_days) if correction_days is not None else None
    )
    for proposal in proposals:
        _check_confirmation(
            case, proposal, by_subject[proposal.subject.pk if proposal.subject else None], scope_options
        )
    confirmed = {by_subject[p.subject.pk if p.subject else None].outcome for p in proposals}
    case_outcome = confirmed.pop() if len(confirmed) == 1 else PER_SUBJECT_OUTCOME
    with transaction.atomic():
        single = rows[0] if len(rows) == 1 else None
        evaluation = RuleEvaluation.objects.create(
            case=case,
            policy_version=case.exemption.policy_version,
            proposal=combined.proposal,
            explanation={"summary": combined.summary, "lines": combined.lines},
            outcome=case_outcome,
            override_reason=single.override_reason if single and single.outcome != combined.proposal else "",
            confirmed_by=confirmed_by,
        )
        subjects = case_subjects(case)
        determinations = []
        for proposal in proposals:
            row = by_subject[proposal.subject.pk if proposal.subject else None]
            # A case judged once gives every person its one outcome, so later steps read people alike.
            for subject in [proposal.subject] if proposal.subject else subjects:
                determinations.append(
                    SubjectDetermination(
                        evaluation=evaluation,
                        subject=subject,
                        audience=subject.audience,
                        proposal=proposal.evaluation.proposal,
                        explanation={"summary": proposal.evaluation.summary, "lines": proposal.evaluation.lines},
                        outcome=row.outcome,
                        override_reason=row.override_reason if row.outcome != proposal.evaluation.proposal else "",
                        liability_scope=list(row.liability_scope),
                        reduction_kind=row.reduction_kind if row.outcome == ExemptionOutcome.REDUCED else "",
                        remaining_liability=row.remaining_liability if row.outcome == ExemptionOutcome.REDUCED else "",
                        correction_items=row.correction_items,
                        correction_due=correction_due if row.correction_items.strip() else None,
                    )
                )
        SubjectDetermination.objects.bulk_create(determinations)
        case_stage_set(case=case, stage=ExemptionStage.COMMITTEE_REVIEW)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=confirmed_by,
            case=case,
            target=evaluation,
            payload={
                "form": "rule_evaluation",
                "proposal": combined.proposal,
                "outcome": case_outcome,
                "override_reason": evaluation.override_reason,
            }
            | (
                {
                    "subjects": [
                        {
                            "subject": d.subject.user.get_username(),
                            "proposal": d.proposal,
                            "outcome": d.outcome,
                            "override_reason": d.override_reason,
                            "liability_scope": d.liability_scope,
                            "reduction_kind": d.reduction_kind,
                            "remaining_liability": d.remaining_liability,
                            "correction_items": d.correction_items,
                            "correction_due": d.correction_due.isoformat() if d.correction_due else None,
                        }
                        for d in determinations
                    ]
                }
                if is_per_subject(case)
                else {}
            ),
        )
    return evaluation


def determinations_current(case: Case) -> list[SubjectDetermination]:
    """The confirmed determination of each person, from the latest evaluation."""
    evaluation = case.evaluations.order_by("-id").first()
    if evaluation is None:
        return []
    return list(evaluation.determinations.select_related("subject__user__profile").order_by("subject_id"))
