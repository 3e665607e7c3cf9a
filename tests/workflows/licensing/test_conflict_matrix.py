"""The conflict matrix of domain-licensing.md §7, every combination, against the table as written there."""

import datetime
import itertools

import pytest

from workflows.licensing import conflicts as m

D = datetime.date
TODAY = D(2026, 12, 1)
POLICY = m.MatrixPolicy(
    block_on=frozenset({"approved", "publicity", "active_free", "triggered", "paying"}),
    warn_on=frozenset({"filed", "reviewing"}),
    lapsed_action="block",
)
STATUSES = sorted(POLICY.block_on | POLICY.warn_on | {"completed", "exited", "terminated", "converted", "refused"})
TYPES = [m.ORDINARY, m.SOLE, m.EXCLUSIVE]
# Existing licence (row) × requested (column), for an existing licence in a blocking status (the table).
TABLE = {
    (m.ORDINARY, m.ORDINARY): None,
    (m.ORDINARY, m.SOLE): m.BLOCK,
    (m.ORDINARY, m.EXCLUSIVE): m.BLOCK,
    (m.SOLE, m.ORDINARY): m.BLOCK,
    (m.SOLE, m.SOLE): m.BLOCK,
    (m.SOLE, m.EXCLUSIVE): m.BLOCK,
    (m.EXCLUSIVE, m.ORDINARY): m.BLOCK,
    (m.EXCLUSIVE, m.SOLE): m.BLOCK,
    (m.EXCLUSIVE, m.EXCLUSIVE): m.BLOCK,
}
# (ours, theirs, do they meet): the same code, an ancestor, the root, or neither.
FIELDS = [(("G01S",), ("G01S7/02",), True), (("G01S",), ("*",), True), (("G01S",), ("H04B",), False)]
TERRITORIES = [(("450300",), ("450000",), True), (("*",), ("450300",), True), (("450300",), ("440000",), False)]
PERIODS = [
    ((D(2027, 1, 1), D(2029, 12, 31)), (D(2029, 12, 31), D(2031, 1, 1)), True),  # one shared day
    ((D(2027, 1, 1), D(2029, 12, 31)), (D(2030, 1, 1), D(2031, 1, 1)), False),
]


def terms(licence_type, fields, territories, period):
    return m.Terms(licence_type, fields, territories, *period)


@pytest.mark.parametrize(
    ("existing", "requested", "status", "fields", "territories", "periods"),
    list(itertools.product(TYPES, TYPES, STATUSES, FIELDS, TERRITORIES, PERIODS)),
)
def test_every_pair_of_licences(existing, requested, status, fields, territories, periods):
    ours_f, theirs_f, fields_meet = fields
    ours_t, theirs_t, territories_meet = territories
    ours_p, theirs_p, periods_meet = periods
    request = terms(requested, ours_f, ours_t, ours_p)
    other = m.OtherLicence(case_id=7, status=status, terms=terms(existing, theirs_f, theirs_t, theirs_p))

    found = m.licence_conflict(request, other, 1, POLICY)

    expected = TABLE[(existing, requested)]
    if status in POLICY.warn_on and expected:
        expected = m.WARN
    if status not in POLICY.block_on | POLICY.warn_on or not (fields_meet and territories_meet and periods_meet):
        expected = None
    assert (found.level if found else None) == expected
    if found:
        assert found.other_case_id == 7 and found.code == f"licence_{existing}"
        assert found.period == (theirs_p[0], ours_p[1])


def result(**overrides):
    values = {
        "result_id": 1,
        "legal_status": "valid",
        "expires_on": D(2040, 1, 1),
        "annuity_paid_until": D(2027, 12, 31),
    }
    return m.ResultState(**{**values, **overrides})


REQUEST_PERIOD = (D(2027, 1, 1), D(2031, 12, 31))
# The result's own state: (state, what an ordinary, a sole and an exclusive request get).
RESULT_ROWS = [
    ({}, (set(), set(), set())),
    ({"open_licence_declared_on": D(2025, 1, 1)}, (set(), {("open_licence", m.BLOCK)}, {("open_licence", m.BLOCK)})),
    # Withdrawn before the request starts: sole/exclusive allowed, warned that earlier licences survive.
    (
        {"open_licence_declared_on": D(2025, 1, 1), "open_licence_withdrawn_on": D(2026, 6, 1)},
        (set(), {("open_licence_withdrawn", m.WARN)}, {("open_licence_withdrawn", m.WARN)}),
    ),
    # Withdrawn only after the request starts: still blocks.
    (
        {"open_licence_declared_on": D(2025, 1, 1), "open_licence_withdrawn_on": D(2027, 6, 1)},
        (set(), {("open_licence", m.BLOCK)}, {("open_licence", m.BLOCK)}),
    ),
    # Declared only after the request ends: no conflict.
    ({"open_licence_declared_on": D(2032, 1, 1)}, (set(), set(), set())),
    ({"pending_transfer": True}, ({("pending_transfer", m.WARN)},) * 3),
    ({"pledged_until": D(2028, 1, 1)}, ({("pledge", m.CONSENT)},) * 3),
    ({"pledged_until": D(2026, 1, 1)}, (set(), set(), set())),  # released before the licence starts
    ({"co_owned": True}, (set(), {("co_owners", m.CONSENT)}, {("co_owners", m.CONSENT)})),
    ({"legal_status": "lapsed"}, ({("not_valid", m.BLOCK)},) * 3),
    ({"legal_status": "invalid"}, ({("not_valid", m.BLOCK)},) * 3),
    ({"expires_on": D(2030, 1, 1)}, ({("expires", m.BLOCK)},) * 3),
    ({"annuity_paid_until": D(2026, 11, 30)}, ({("annuity_unpaid", m.WARN)},) * 3),
]


@pytest.mark.parametrize(("state", "expected"), RESULT_ROWS)
@pytest.mark.parametrize("index", [0, 1, 2], ids=TYPES)
def test_every_state_of_the_result(state, expected, index):
    request = terms(TYPES[index], ("*",), ("*",), REQUEST_PERIOD)
    found = list(m.result_conflicts(request, result(**state), POLICY, today=TODAY))
    assert {(c.code, c.level) for c in found} == expected[index]


@pytest.mark.parametrize(
    ("licence_type", "expected"),
    [(m.ORDINARY, ("truncate", m.WARN)), (m.SOLE, ("expires", m.BLOCK)), (m.EXCLUSIVE, ("expires", m.BLOCK))],
)
def test_expiry_before_the_end_truncates_an_ordinary_licence_where_the_policy_says_so(licence_type, expected):
    policy = m.MatrixPolicy(block_on=POLICY.block_on, warn_on=POLICY.warn_on, lapsed_action="truncate")
    request = terms(licence_type, ("*",), ("*",), REQUEST_PERIOD)
    found = list(m.result_conflicts(request, result(expires_on=D(2030, 1, 1)), policy, today=TODAY))
    assert [(c.code, c.level) for c in found] == [expected]


def test_conflicts_read_only_the_other_licences_of_each_result():
    request = terms(m.EXCLUSIVE, ("*",), ("*",), REQUEST_PERIOD)
    other = m.OtherLicence(case_id=9, status="paying", terms=terms(m.ORDINARY, ("*",), ("*",), REQUEST_PERIOD))
    found = m.conflicts(request, [result(result_id=1), result(result_id=2)], {2: [other]}, POLICY, today=TODAY)
    assert [(c.result_id, c.other_case_id, c.level) for c in found] == [(2, 9, m.BLOCK)]
