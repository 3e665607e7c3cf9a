"""Row-level visibility for every Viewflow page: a process is visible iff its case is.

Viewflow only knows the model-wide `view_<process>` permission, so anyone holding it would see every
process and task of a flow. The one rule of who sees which case stays in
`tolerance.selectors.cases.cases_visible_to`; this module applies it to processes and tasks, and
checks every URL of a flow application by wrapping its URL patterns once (see `guard_url_patterns`):
404 for a process whose case is invisible, 403 for a party or a read-only supervisor trying more.
"""

import enum
from functools import update_wrapper

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import URLResolver
from viewflow.workflow.models import Process, Task

from tolerance import roles
from tolerance.selectors.cases import (
    INSTITUTION_STAFF_ROLES,
    cases_visible_to,
    user_is_case_staff,
    user_sees_case_file,
)

# Task and process pages a read-only viewer (a supervisor) may open; everything else acts on a case.
READ_ONLY_URL_NAMES = frozenset({"process_detail", "process_chart", "index", "detail"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Pages without a process that act even on GET: a start node's form, the bulk claim and release.
ACTION_URL_NAMES = frozenset({"execute", "tasks_assign", "tasks_unassign"})


class ProcessAccess(enum.Enum):
    NONE = "none"  # the case is invisible: 404, so its existence is not revealed
    SUBJECT = "subject"  # a party to the case: their status page is ours (/cases/<pk>/), not viewflow's
    READ_ONLY = "read_only"  # a supervisor: may look, never act
    STAFF = "staff"  # the institution's officers and committee: viewflow's own permissions decide


def _case_visible(user, process_field: str):
    """An EXISTS filter on a row naming a process in `process_field`: that process's case is visible."""
    return Exists(cases_visible_to(user).filter(process_id=OuterRef(process_field)))


def processes_visible_to(user, flow_class=None):
    """Processes whose case `user` may see; processes without a case are visible to nobody."""
    processes = Process.objects.filter(_case_visible(user, "pk"))
    if flow_class is not None:
        processes = processes.filter(flow_class=flow_class)
    return processes


def tasks_visible_to(user, flow_classes=None):
    """Tasks of processes whose case `user` may see."""
    tasks = Task.objects.filter(_case_visible(user, "process_id"))
    if flow_classes is not None:
        tasks = tasks.filter(process__flow_class__in=list(flow_classes))
    return tasks


def process_access(user, process_pk: int, task_pk: int | None = None) -> ProcessAccess:
    """How `user` may use the process's pages; NONE too if `task_pk` is given and not a task of it."""
    cases = cases_visible_to(user).filter(process_id=process_pk).only("id", "institution_id")
    if task_pk is not None:
        # Viewflow's task views look the task up by task_pk alone and lock process_pk: a visible
        # process_pk must not open another process's task. Asked in the same query as the case.
        cases = cases.filter(Exists(Task.objects.filter(pk=task_pk, process_id=OuterRef("process_id"))))
    case = cases.first()
    if case is None:
        return ProcessAccess.NONE
    if user_is_case_staff(user, case):
        return ProcessAccess.STAFF
    if roles.has_role(user, roles.SUPERVISOR):
        return ProcessAccess.READ_ONLY
    return ProcessAccess.SUBJECT


def check_process_request(request, *, url_name: str, process_pk: int, task_pk: int | None) -> None:
    """Raise 404 for an invisible process (or a task not of that process), 403 for a forbidden action."""
    access = process_access(request.user, process_pk, task_pk)
    if access is ProcessAccess.NONE:
        raise Http404
    if access is ProcessAccess.STAFF:
        return
    if access is ProcessAccess.READ_ONLY and url_name in READ_ONLY_URL_NAMES and request.method in SAFE_METHODS:
        if task_pk is not None and not _reads_case_file(request.user, process_pk):
            # A task's page shows what was submitted in it (votes, findings): a supervisor reads it only of
            # a case the institution has referred to them.
            raise PermissionDenied
        return
    raise PermissionDenied


def _reads_case_file(user, process_pk: int) -> bool:
    case = cases_visible_to(user).filter(process_id=process_pk).only("id", "institution_id").first()
    return case is not None and user_sees_case_file(user, case)


def check_flow_request(request, *, url_name: str) -> None:
    """Pages of a flow that name no process: lists are filtered elsewhere, starting a case is acting."""
    if may_act(request.user):
        return
    if request.method not in SAFE_METHODS or url_name in ACTION_URL_NAMES:
        raise PermissionDenied


def may_use_flow_pages(user) -> bool:
    """Viewflow's pages are the institutions' and supervisors' working tools, never the parties'."""
    return user.is_superuser or roles.has_role(user, *INSTITUTION_STAFF_ROLES, roles.SUPERVISOR)


def may_act(user) -> bool:
    """Whether `user` may ever start, claim or execute anything: supervisors are read-only everywhere."""
    return user.is_superuser or not roles.has_role(user, roles.SUPERVISOR)


def check_request(request, *, url_name: str, kwargs) -> None:
    """The visibility and read-only rules for one request to a flow page; runs once per request."""
    if getattr(request, "_process_visibility_checked", False):
        return
    if "process_pk" in kwargs:
        check_process_request(
            request, url_name=url_name, process_pk=kwargs["process_pk"], task_pk=kwargs.get("task_pk")
        )
    else:
        check_flow_request(request, url_name=url_name)
    request._process_visibility_checked = True


def guard_view(view, *, url_name: str):
    def guarded(request, *args, **kwargs):
        check_request(request, url_name=url_name, kwargs=kwargs)
        return view(request, *args, **kwargs)

    update_wrapper(guarded, view)
    guarded.visibility_url_name = url_name
    return guarded


def guard_url_patterns(patterns):
    """Wrap, in place, every view under `patterns` with the visibility and read-only checks.

    Node URLs sit in nested includes (one per node), so walk resolvers too; this covers every node
    type, including ones added later, without listing their views.
    """
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            guard_url_patterns(pattern.url_patterns)
        elif not hasattr(pattern.callback, "visibility_url_name"):
            pattern.callback = guard_view(pattern.callback, url_name=pattern.name or "")
    return patterns
