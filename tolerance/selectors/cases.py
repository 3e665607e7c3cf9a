"""Who may see which case. Every list, page, export and count of cases goes through here."""

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from viewflow.workflow.models import Task

from tolerance import roles
from tolerance.models import Case, CaseSubject, CompanyContact

INSTITUTION_STAFF_ROLES = (roles.OFFICER, roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR)

# role -> rules (user) -> Q over Case: the cases a case type lets people of that role see, e.g. the
# department contacts asked about a case. Registered by the case types; the rule stays in this selector.
_visibility_rules: dict[str, list[Callable]] = {}


# role -> rules (user, case) -> Q over Attachment, or None: of a case a role sees only in part (a department
# contact, the evidence of the items their department verifies), the files it may see. Without a rule that
# speaks for the case, whoever sees the case sees its files.
_attachment_rules: dict[str, list[Callable]] = {}


def register_case_visibility(role: str, rule: Callable) -> None:
    rules = _visibility_rules.setdefault(role, [])
    if rule not in rules:
        rules.append(rule)


def register_attachment_visibility(role: str, rule: Callable) -> None:
    rules = _attachment_rules.setdefault(role, [])
    if rule not in rules:
        rules.append(rule)


def attachments_visible_to(user, case: Case):
    """The files of a visible `case` that `user` may list and download."""
    attachments = case.attachments.all()
    if user.is_superuser or roles.has_role(user, roles.SUPERVISOR) or user_is_case_staff(user, case):
        return attachments
    if is_case_subject(user, case):
        return attachments
    limits = [
        limit
        for role, rules in _attachment_rules.items()
        if roles.has_role(user, role)
        for rule in rules
        if (limit := rule(user, case)) is not None
    ]
    if not limits:
        return attachments
    return attachments.filter(reduce(or_, limits))


def user_institution_id(user):
    profile = getattr(user, "profile", None)
    return profile.institution_id if profile is not None else None


def case_of_task(task):
    """A task's case: the one the activation already loaded where it did (the task views read it through
    `process.case`), else one query. For the hooks on the Task model (audit trail, notices, search text)."""
    if Task.process.is_cached(task):
        process = task.process
        if type(process).case.is_cached(process):
            try:
                return process.case
            except Case.DoesNotExist:
                return None
    return Case.objects.filter(process_id=task.process_id).first()


def cases_visible_to(user):
    """Cases `user` may see: staff their institution's, parties their own, supervisors all (read-only), and
    what a case type's registered rule lets a role see (a department contact: the cases it was asked about)."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser or roles.has_role(user, roles.SUPERVISOR):
        return Case.objects.all()
    institution_id = user_institution_id(user)
    if roles.has_role(user, *INSTITUTION_STAFF_ROLES) and institution_id is not None:
        return Case.objects.filter(institution_id=institution_id)
    rules = [rule(user) for role, rules in _visibility_rules.items() if roles.has_role(user, role) for rule in rules]
    if roles.has_role(user, roles.LICENSEE_CONTACT):
        # Every case of the contact's company, not only those naming them.
        companies = CompanyContact.objects.filter(user=user, is_active=True).values("company_id")
        rules.append(Q(company_id__in=companies))
    # Parties see their own cases whatever their role: a leader or manager named as a subject has no
    # researcher group.
    ids = [CaseSubject.objects.filter(user=user).values("case_id")]
    ids += [each.order_by() for rule in rules for each in _case_ids(rule)]
    if len(ids) == 1:
        return Case.objects.filter(pk__in=ids[0])
    # Several rules apply: PostgreSQL cannot turn their OR (or a UNION of them joined by case) into one
    # semi-join, so it hashes every row of every rule before the first case of a page. That is cheap for a
    # few cases; for many (a department verifying thousands of items) the list walks the cases in its own
    # order and probes each rule's index per case instead (an EXISTS over a UNION is never hashed), and stops
    # at the page. Either way the same cases.
    if not _many_visible(user, ids):
        return Case.objects.filter(pk__in=ids[0].union(*ids[1:], all=True))
    probes = [each.filter(**{each.query.values_select[0]: OuterRef("pk")}) for each in ids]
    return Case.objects.filter(Exists(probes[0].union(*probes[1:], all=True)))


# Up to this many ids over a user's rules, hashing them all is cheaper than probing per case (see above).
FEW_VISIBLE = 1000


def _many_visible(user, ids) -> bool:
    """Whether the id lists hold more than FEW_VISIBLE rows, in one query that reads at most that many of
    each (a LIMIT on the union would not bound it: PostgreSQL still hashes a whole rule). Read once per
    request: it is kept on the user object, and either answer gives the same cases."""
    many = getattr(user, "_tolerance_many_visible", None)
    if many is None:
        parts, params = [], []
        for each in ids:
            try:
                sql, each_params = each[: FEW_VISIBLE + 1].query.sql_with_params()
            except EmptyResultSet:  # a rule with nothing to match for this user (no department, say)
                continue
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS ids)")
            params.extend(each_params)
        with connections[router.db_for_read(Case)].cursor() as cursor:
            cursor.execute("SELECT " + " + ".join(parts), params)
            many = user._tolerance_many_visible = cursor.fetchone()[0] > FEW_VISIBLE
    return many


def _case_ids(condition) -> list:
    """The querysets of case ids whose union is what `condition` (a Q over Case) selects: one per
    alternative of an OR, and an alternative `pk__in=<ids>` as those ids themselves."""
    if isinstance(condition, Q) and not condition.negated and (condition.connector == Q.OR or len(condition) == 1):
        return [ids for child in condition.children for ids in _case_ids(child)]
    if isinstance(condition, tuple):
        lookup, value = condition
        if lookup in ("pk__in", "id__in") and isinstance(value, QuerySet) and len(value.query.values_select) == 1:
            return [value]
        if lookup in ("pk__in", "id__in") and not isinstance(value, QuerySet) and not value:
            return []
        condition = Q(condition)
    return [Case.objects.filter(condition).values("pk")]


# (user, case) -> bool: whether the institution has referred the case to the supervisor body `user`
# belongs to (移送主管部门, tolerance.statistics.referrals), registered so the selector imports none of it.
_referral_checks: list[Callable] = []


def register_case_referral(check: Callable) -> None:
    if check not in _referral_checks:
        _referral_checks.append(check)


def user_is_supervisor_only(user) -> bool:
    """A supervisor with no other standing: statistics and registers, not case files."""
    return (
        user.is_authenticated
        and not user.is_superuser
        and roles.has_role(user, roles.SUPERVISOR)
        and not roles.has_role(user, *INSTITUTION_STAFF_ROLES)
    )


def user_sees_case_file(user, case: Case) -> bool:
    """Whether `user`, who may see `case`, may also read its file: votes, deliberations, evidence, people's
    contact data, the trail. Supervisors see a case's number, type, stage, outcome and issued documents
    only (data minimisation), unless the institution has referred the case to them."""
    if not user_is_supervisor_only(user):
        return True
    return is_case_subject(user, case) or any(check(user, case) for check in _referral_checks)


def case_get_visible(user, **lookup) -> Case:
    """The case matching `lookup` if `user` may see it; 404 otherwise, so existence is not revealed."""
    try:
        return cases_visible_to(user).select_related("institution", "filed_by").get(**lookup)
    except Case.DoesNotExist:
        raise Http404 from None


def user_is_case_staff(user, case: Case) -> bool:
    """Staff of the case's own institution (officers and committee), who see internal detail."""
    if user.is_superuser:
        return True
    return roles.has_role(user, *INSTITUTION_STAFF_ROLES) and user_institution_id(user) == case.institution_id


def is_case_subject(user, case: Case) -> bool:
    """A party the case is about (anyone named as its subject)."""
    return case.subject_links.filter(user_id=user.pk).exists()


def user_may_add_evidence(user, case: Case) -> bool:
    """Officers of the case's institution and the case's own parties, if their role may upload at all."""
    return (user_is_case_staff(user, case) or is_case_subject(user, case)) and user.has_perm("tolerance.add_attachment")
