"""The conflict matrix of domain-licensing.md §7 as pure functions: no database, no clock.

A requested licence is checked against the other licences of its results and against each result's own
state (open licence, pledge, co-ownership, legal status). Each conflict says its level — BLOCK stops the
review and the decision; CONSENT needs the named consent on file; WARN may be passed with a recorded
reason — and names what overlaps, so the officer reads why.
"""

import datetime
from dataclasses import dataclass

ORDINARY, SOLE, EXCLUSIVE = "ordinary", "sole", "exclusive"
BLOCK, CONSENT, WARN = "block", "consent", "warn"
# The root of both code trees: the whole field of use, the whole country.
ALL = "*"


@dataclass(frozen=True)
class Terms:
    licence_type: str
    fields: tuple[str, ...]
    territories: tuple[str, ...]
    start_on: datetime.date
    end_on: datetime.date


@dataclass(frozen=True)
class OtherLicence:
    case_id: int
    status: str
    terms: Terms


@dataclass(frozen=True)
class ResultState:
    result_id: int
    legal_status: str
    expires_on: datetime.date
    annuity_paid_until: datetime.date
    open_licence_declared_on: datetime.date | None = None
    open_licence_withdrawn_on: datetime.date | None = None
    pledged_until: datetime.date | None = None
    co_owned: bool = False
    pending_transfer: bool = False


@dataclass(frozen=True)
class MatrixPolicy:
    block_on: frozenset[str]
    warn_on: frozenset[str]
    # What a licence running past the patent's expiry gets: "block", or "truncate" (ordinary only).
    lapsed_action: str


@dataclass(frozen=True)
class Conflict:
    level: str
    code: str
    result_id: int
    other_case_id: int | None = None
    # The overlap that makes it a conflict, for the message: fields, territories, period.
    overlap: tuple[str, ...] = ()
    period: tuple[datetime.date, datetime.date] | None = None


def _region(code: str) -> str:
    """A region code as its prefix: 450000 (Guangxi) → 45, 450300 (Guilin) → 4503; the country is ALL."""
    if code in (ALL, "000000"):
        return ""
    while code.endswith("00"):
        code = code[:-2]
    return code


def _field(code: str) -> str:
    return "" if code == ALL else code.replace(" ", "").upper()


def _codes_intersect(ours, theirs, normalise) -> tuple[str, ...]:
    """The codes of `ours` that meet one of `theirs`: the same code, or one an ancestor of the other."""
    found = []
    for a in ours:
        na = normalise(a)
        if any(na.startswith(normalise(b)) or normalise(b).startswith(na) for b in theirs):
            found.append(a)
    return tuple(found)


def fields_intersect(ours, theirs) -> tuple[str, ...]:
    return _codes_intersect(ours, theirs, _field)


def territories_intersect(ours, theirs) -> tuple[str, ...]:
    return _codes_intersect(ours, theirs, _region)


def periods_overlap(a: Terms, b: Terms) -> tuple[datetime.date, datetime.date] | None:
    start, end = max(a.start_on, b.start_on), min(a.end_on, b.end_on)
    return (start, end) if start <= end else None


def licence_conflict(request: Terms, other: OtherLicence, result_id: int, policy: MatrixPolicy) -> Conflict | None:
    """The matrix row for one other licence of the same result: only two ordinary licences coexist."""
    if other.status in policy.block_on:
        level = BLOCK
    elif other.status in policy.warn_on:
        level = WARN
    else:
        return None
    if request.licence_type == ORDINARY and other.terms.licence_type == ORDINARY:
        return None
    fields = fields_intersect(request.fields, other.terms.fields)
    territories = territories_intersect(request.territories, other.terms.territories)
    period = periods_overlap(request, other.terms)
    if not fields or not territories or period is None:
        return None
    return Conflict(
        level=level,
        code=f"licence_{other.terms.licence_type}",
        result_id=result_id,
        other_case_id=other.case_id,
        overlap=fields + territories,
        period=period,
    )


def result_conflicts(request: Terms, result: ResultState, policy: MatrixPolicy, *, today: datetime.date):
    """The result's own state against the request."""
    exclusive_kind = request.licence_type in (SOLE, EXCLUSIVE)
    rid = result.result_id
    if result.legal_status != "valid":
        yield Conflict(level=BLOCK, code="not_valid", result_id=rid)
    elif result.expires_on < request.end_on:
        truncate = policy.lapsed_action == "truncate" and not exclusive_kind
        yield Conflict(level=WARN if truncate else BLOCK, code="truncate" if truncate else "expires", result_id=rid)
    if result.annuity_paid_until < today:
        yield Conflict(level=WARN, code="annuity_unpaid", result_id=rid)
    declared, withdrawn = result.open_licence_declared_on, result.open_licence_withdrawn_on
    if declared is not None and declared <= request.end_on and exclusive_kind:
        # A withdrawal frees the result only for periods starting after it; licences granted under
        # the open licence survive it [专利法 art. 50].
        if withdrawn is None or request.start_on <= withdrawn:
            yield Conflict(level=BLOCK, code="open_licence", result_id=rid)
        else:
            yield Conflict(level=WARN, code="open_licence_withdrawn", result_id=rid)
    if result.pending_transfer:
        yield Conflict(level=WARN, code="pending_transfer", result_id=rid)
    if result.pledged_until is not None and result.pledged_until >= request.start_on:
        yield Conflict(level=CONSENT, code="pledge", result_id=rid)
    if result.co_owned and exclusive_kind:
        yield Conflict(level=CONSENT, code="co_owners", result_id=rid)


def conflicts(request: Terms, results: list[ResultState], others: dict[int, list[OtherLicence]], policy, *, today):
    """Every conflict of the request: `others` maps a result's id to the other licences of that result."""
    found = []
    for result in results:
        found.extend(result_conflicts(request, result, policy, today=today))
        for other in others.get(result.result_id, ()):
            conflict = licence_conflict(request, other, result.result_id, policy)
            if conflict is not None:
                found.append(conflict)
    return found
