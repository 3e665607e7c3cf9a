"""What an exemption case writes for the shared steps: the determinations the committee votes on, its
publicity notice, its decision's content and the note on what an exemption means for the people
concerned. All are stored and shown to everyone, so the steps call them in the site's language."""

from django.utils.translation import gettext as _

from tolerance.decisions.content import DecisionContent, Evidence, Ground
from tolerance.models import Case, SubjectAudience
from workflows.exemption.determinations import case_subjects, is_per_subject, masked_name, subject_name, version_rules
from workflows.exemption.investigation import determinations_current
from workflows.exemption.models import ExemptionOutcome, ReductionKind
from workflows.exemption.tolerance_list import PolicyItemKind
from workflows.steps.committee import resolution_sentence, review_current
from workflows.steps.issuing import previous_decision


def exemption_determinations(case: Case) -> list[tuple[str, str]]:
    """One determination per responsible person under a version that judges people on their own; a case
    about one person is voted on once, as any case."""
    if not hasattr(case, "exemption") or not is_per_subject(case):
        return []
    links = case_subjects(case)
    return [(str(link.pk), subject_name(link)) for link in links] if len(links) > 1 else []


def exemption_determination_of(case: Case, user) -> str:
    """The determination a person named in the case is judged by (their subject link, as the votes key it)."""
    return next((str(link.pk) for link in case_subjects(case) if link.user_id == user.pk), "")


def resolved_outcomes(case: Case) -> dict[str, str]:
    """Each person's outcome as the committee resolved it (key: CaseSubject pk as text)."""
    review = review_current(case)
    if review is None:
        return {}
    if review.determinations:
        return {row["key"]: row["outcome"] for row in review.determinations}
    return {str(link.pk): review.outcome for link in case_subjects(case)} if review.outcome else {}


def _outcome_label(outcome: str) -> str:
    try:
        return ExemptionOutcome(outcome).label
    except ValueError:
        return ""


def exemption_publicity_notice(*, case: Case) -> str:
    """The notice: who, what, the proposed outcome for each person, and how to object."""
    mask = version_rules(case).get("name_disclosure") == "masked"
    scope = version_rules(case).get("publicity", {}).get("scope", "")
    scope_text = (" " + _("Publicity scope: %(scope)s.") % {"scope": scope}) if scope else ""
    outcomes = resolved_outcomes(case)
    links = case_subjects(case)
    if is_per_subject(case):
        people = "；".join(
            f"{masked_name(subject_name(link)) if mask else subject_name(link)}"
            f"（{link.post or (SubjectAudience(link.audience).label if link.audience else '')}）："
            f"{_outcome_label(outcomes.get(str(link.pk), ''))}"
            for link in links
        )
        return (
            _(
                "Notice of publicity. Case %(number)s “%(title)s”: after investigation and committee review, "
                "%(institution)s proposes for each person concerned: %(people)s. Anyone with an objection may lodge it "
                "through the system or in writing to the technology transfer office during the publicity period."
            )
            % {
                "number": case.number,
                "title": case.title,
                "institution": case.institution.name_zh,
                "people": people,
            }
            + scope_text
        )
    review = review_current(case)
    return _(
        "Notice of publicity. Case %(number)s “%(title)s” concerning %(subjects)s: after investigation and "
        "committee review, %(institution)s proposes “%(outcome)s”. Anyone with an objection may lodge it "
        "through the system or in writing to the technology transfer office during the publicity period."
    ) % {
        "number": case.number,
        "title": case.title,
        "subjects": "、".join(subject_name(link) for link in links),
        "institution": case.institution.name_zh,
        "outcome": ExemptionOutcome(review.outcome).label if review and review.outcome else "",
    }


def _evidence_line(attachment) -> Evidence:
    """What a reader of the decision recognises: the category (named in each rendering's language) and what
    the uploader said it is. The upload's file name (minutes.pdf) says nothing on paper; it is only the
    fallback for a file filed with no description."""
    return Evidence(category=attachment.category, text=attachment.description.strip() or attachment.original_name)


def _verdict(finding) -> str:
    if finding.item.kind == PolicyItemKind.CONDITION:
        return "met" if finding.holds else "not_met"
    return "applies" if finding.holds else "does_not_apply"


def _grounds(case: Case, names: dict) -> list[Ground]:
    """The findings relied on; a person's own findings carry their name, facts of the case do not."""
    findings = (
        case.findings.select_related("item")
        .prefetch_related("evidence")
        .exclude(item__kind=PolicyItemKind.MITIGATING)
        .order_by("subject_id", "item__kind", "item__order")
    )
    return [
        Ground(
            condition=(f"{names[finding.subject_id]} · " if finding.subject_id else "")
            + f"{finding.item.code} {finding.item.title}",
            verdict=_verdict(finding),
            finding=finding.note
            + (
                "\n" + _("Heads of duty shown: %(heads)s.") % {"heads": "、".join(finding.checklist)}
                if finding.checklist
                else ""
            ),
            evidence=[_evidence_line(attachment) for attachment in finding.evidence.all()],
        )
        for finding in findings
    ]


def _subject_rows(case: Case) -> list[dict]:
    """One row per person: who, what they are judged as, the committee's outcome, its scope and effect."""
    effects = version_rules(case).get("effect_texts", {})
    outcomes = resolved_outcomes(case)
    confirmed = {c.subject_id: c for c in case.external_confirmations.all()}
    rows = []
    for determination in determinations_current(case):
        link = determination.subject
        outcome = outcomes.get(str(link.pk), determination.outcome)
        rows.append(
            {
                "subject": link.pk,
                "name": subject_name(link),
                "post": link.post,
                "audience": str(SubjectAudience(link.audience).label) if link.audience else "",
                "outcome": outcome,
                "outcome_label": str(_outcome_label(outcome)),
                "grounds": determination.explanation.get("summary", ""),
                "scope": "、".join(determination.liability_scope),
                "reduction": str(ReductionKind(determination.reduction_kind).label)
                if determination.reduction_kind
                else "",
                "remaining": determination.remaining_liability,
                "correction": determination.correction_items,
                "correction_due": determination.correction_due.isoformat() if determination.correction_due else "",
                "effect": effects.get(outcome, ""),
                "confirmation": _("Confirmed by %(body)s (%(ref)s, %(date)s).")
                % {"body": c.body, "ref": c.ref_no, "date": c.confirmed_on.isoformat()}
                + (f" {c.note}" if c.note else "")
                if (c := confirmed.get(link.pk))
                else "",
            }
        )
    return rows


def exemption_decision_content(*, case: Case, facts: str, reasoning: str) -> DecisionContent:
    """The grounds come from the findings, the resolution line from the committee."""
    details = case.exemption
    version = details.policy_version
    names = {link.pk: subject_name(link) for link in case_subjects(case)}
    review = review_current(case)
    per_subject = is_per_subject(case)
    if review and review.determinations:
        resolution = "；".join(
            # On appeal, a person who did not appeal keeps the outcome already decided (no new vote).
            _("%(name)s: not appealed, “%(outcome)s” stands")
            % {"name": row["label"], "outcome": _outcome_label(row["outcome"])}
            if row.get("standing")
            else _("%(name)s: %(cast)d voted, %(votes)d for “%(outcome)s”")
            % {
                "name": row["label"],
                "cast": row["votes_cast"],
                "votes": row["votes_for"],
                "outcome": _outcome_label(row["outcome"]),
            }
            for row in review.determinations
        )
        resolution = _("Committee meeting of %(date)s: %(members)d members, %(recused)d recused; %(rows)s.") % {
            "date": review.resolved_at.date().isoformat(),
            "members": review.members_total,
            "recused": review.members_recused,
            "rows": resolution,
        }
    else:
        resolution = resolution_sentence(review, ExemptionOutcome(review.outcome).label) if review else ""
    approval = ""
    if version.approval_doc_no:
        approval = _("Tolerance list approved by %(body)s, %(doc)s.") % {
            "body": version.approved_by,
            "doc": version.approval_doc_no,
        }
    return DecisionContent(
        facts=facts,
        grounds=_grounds(case, names),
        reasoning=reasoning,
        committee_resolution=resolution,
        tolerance_list_version=str(version),
        tolerance_entries=[f"{e.code} {e.title}" for e in details.cited_entries.order_by("order")],
        subject_rows=_subject_rows(case) if per_subject else [],
        rules_approval=approval,
        external_appeal_route=version_rules(case).get("appeal_external_route_text", ""),
        supersedes=previous_decision(case),
    )


def exemption_decision_notice(*, case: Case, outcome: str) -> str:
    if outcome != ExemptionOutcome.EXEMPT:
        return ""
    return _(
        "Under the policy, the exemption means the persons concerned are not affected in awards and "
        "evaluations (评先评优), appraisal and rewards (考核奖励) or professional title appointment (职称评聘)."
    )
