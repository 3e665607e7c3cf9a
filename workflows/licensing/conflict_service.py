"""The conflict check over every licence of the institution, whatever its case's stage.

Reads only the index rows (LicenceGrant) of the requested results whose period reaches the request's,
so its cost follows the licences of those results, not the institution's whole register. The matrix
itself is conflicts.py. Messages name another case only to a viewer who may see it."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.models import Case
from tolerance.selectors.cases import cases_visible_to
from workflows.licensing import conflicts as matrix
from workflows.licensing.models import STAGE_STATUS, LicenceGrant, LicensingDetails, Result
from workflows.licensing.policy import LicensingPolicy

# A case not yet past filing has the draft stage; the matrix calls it "filed".
FILED_STATUS = "filed"


def _stages_with_status(statuses) -> list[str]:
    stages = [stage for stage, status in STAGE_STATUS.items() if status in statuses]
    return stages + (["draft"] if FILED_STATUS in statuses else [])


def request_terms(details: LicensingDetails) -> matrix.Terms:
    return matrix.Terms(
        licence_type=details.licence_type,
        fields=tuple(details.fields_of_use),
        territories=tuple(details.territories),
        start_on=details.start_on,
        end_on=details.end_on,
    )


def result_state(result: Result) -> matrix.ResultState:
    return matrix.ResultState(
        result_id=result.pk,
        legal_status=result.legal_status,
        expires_on=result.expires_on,
        annuity_paid_until=result.annuity_paid_until,
        open_licence_declared_on=result.open_licence_declared_on,
        open_licence_withdrawn_on=result.open_licence_withdrawn_on,
        pledged_until=result.pledged_until,
        co_owned=bool(result.co_owners.strip()),
        pending_transfer=result.pending_transfer,
    )


def licence_conflicts_find(case: Case, *, lock: bool = False, today=None) -> list[matrix.Conflict]:
    """The conflicts of the case's requested licence. With `lock`, the result rows stay locked until the
    caller's transaction ends, so two approvals of the same result cannot both pass."""
    details = case.licensing
    policy = LicensingPolicy.from_data(details.policy_version.data)
    terms = request_terms(details)
    results = Result.objects.filter(licences=details).order_by("pk")
    if lock:
        results = results.select_for_update()
    results = list(results)
    statuses = set(policy.conflict_block_on) | set(policy.conflict_warn_on)
    rows = (
        LicenceGrant.objects.filter(
            result_id__in=[r.pk for r in results],
            end_on__gte=terms.start_on,
            start_on__lte=terms.end_on,
            case__stage__in=_stages_with_status(statuses),
        )
        .exclude(case_id=case.pk)
        .values_list(
            "result_id", "case_id", "case__stage", "licence_type", "fields_of_use", "territories", "start_on", "end_on"
        )
    )
    others: dict[int, list[matrix.OtherLicence]] = {}
    for result_id, case_id, stage, licence_type, fields, territories, start_on, end_on in rows:
        others.setdefault(result_id, []).append(
            matrix.OtherLicence(
                case_id=case_id,
                status=STAGE_STATUS.get(stage, FILED_STATUS),
                terms=matrix.Terms(licence_type, tuple(fields), tuple(territories), start_on, end_on),
            )
        )
    found = matrix.conflicts(
        terms, [result_state(r) for r in results], others, policy.matrix, today=today or timezone.localdate()
    )
    company = case.company
    if company is not None and company.credit_flagged_on is not None:
        level = matrix.BLOCK if policy.credit_flag_effect == "block" else matrix.WARN
        found.append(matrix.Conflict(level=level, code="credit_flag", result_id=0))
    return found


def conflict_record(conflict: matrix.Conflict) -> dict:
    """As stored on the review: JSON, with the other case's number for those who may see it."""
    number = Case.objects.filter(pk=conflict.other_case_id).values_list("number", flat=True).first()
    return {
        "level": conflict.level,
        "code": conflict.code,
        "result_id": conflict.result_id,
        "other_case_id": conflict.other_case_id,
        "other_case_number": number or "",
        "overlap": list(conflict.overlap),
        "period": [day.isoformat() for day in conflict.period] if conflict.period else [],
    }


def _messages():
    return {
        "licence_ordinary": _("An ordinary licence %(other)s of the same result overlaps in %(overlap)s, %(period)s."),
        "licence_sole": _("A sole licence %(other)s of the same result overlaps in %(overlap)s, %(period)s."),
        "licence_exclusive": _(
            "An exclusive licence %(other)s of the same result overlaps in %(overlap)s, %(period)s."
        ),
        "not_valid": _("%(result)s is lapsed or invalid."),
        "expires": _("%(result)s expires before the requested end of the licence."),
        "truncate": _("%(result)s expires before the requested end: the term will be cut to its expiry."),
        "annuity_unpaid": _("The annuity of %(result)s is unpaid."),
        "open_licence": _("An open licence of %(result)s is in force: only ordinary licences may be granted."),
        "open_licence_withdrawn": _(
            "The open licence of %(result)s was withdrawn; licences granted under it survive the withdrawal."
        ),
        "pending_transfer": _("A transfer or equity investment of %(result)s is pending."),
        "pledge": _("%(result)s is pledged: the pledgee's written consent is needed."),
        "co_owners": _("%(result)s is co-owned: every co-owner's written consent is needed for this licence type."),
        "credit_flag": _("The licensee carries a credit flag from an earlier breach."),
    }


def conflict_message(record: dict, viewer) -> str:
    """One conflict in the viewer's language; another case is named only if the viewer may see it."""
    other = record.get("other_case_id")
    if other is None:
        other_text = ""
    elif cases_visible_to(viewer).filter(pk=other).exists():
        other_text = record["other_case_number"]
    else:
        other_text = _("(another licence of this institution; its number is not visible to you)")
    result = Result.objects.filter(pk=record["result_id"]).first()
    period = record.get("period") or []
    return _messages()[record["code"]] % {
        "other": other_text,
        "overlap": "、".join(record.get("overlap", [])),
        "period": "–".join(period),
        "result": str(result) if result else "",
    }


def grants_sync(details: LicensingDetails) -> None:
    """Rewrite the case's index rows from its terms; call inside the transaction that changes them."""
    LicenceGrant.objects.filter(case_id=details.case_id).delete()
    LicenceGrant.objects.bulk_create(
        [
            LicenceGrant(
                institution_id=details.case.institution_id,
                result=result,
                case_id=details.case_id,
                licence_type=details.licence_type,
                fields_of_use=details.fields_of_use,
                territories=details.territories,
                start_on=details.start_on,
                end_on=details.end_on,
            )
            for result in details.results.all()
        ]
    )
