"""The case page's history: each visible event as one plain sentence, with a link to what it concerns."""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.selectors import case_trail_visible_to, user_may_export_trail, user_sees_whole_trail

# Shortest fitting label when someone holds several roles, most specific first.
_ROLE_SHORT_LABELS = {
    roles.COMMITTEE_CHAIR: gettext_lazy("committee chair"),
    roles.COMMITTEE_MEMBER: gettext_lazy("committee member"),
    roles.OFFICER: gettext_lazy("case officer"),
    roles.RESEARCHER: gettext_lazy("researcher"),
    roles.LICENSEE_CONTACT: gettext_lazy("licensee contact"),
    roles.SUPERVISOR: gettext_lazy("supervisor"),
    roles.ADMINISTRATOR: gettext_lazy("administrator"),
}

_SENTENCES = {
    AuditAction.CASE_FILED: gettext_lazy("%(actor)s filed the case"),
    AuditAction.CASE_UPDATED: gettext_lazy("%(actor)s updated the case details"),
    AuditAction.TASK_CREATED: gettext_lazy("%(actor)s created the task “%(title)s”"),
    AuditAction.TASK_ASSIGNED: gettext_lazy("%(actor)s took the task “%(title)s”"),
    AuditAction.TASK_RELEASED: gettext_lazy("%(actor)s released the task “%(title)s”"),
    AuditAction.TASK_COMPLETED: gettext_lazy("%(actor)s completed the task “%(title)s”"),
    AuditAction.TASK_CANCELLED: gettext_lazy("%(actor)s cancelled the task “%(title)s”"),
    AuditAction.TIMER_FIRED: gettext_lazy("The time limit of “%(title)s” was reached"),
    AuditAction.FORM_SUBMITTED: gettext_lazy("%(actor)s submitted the form “%(title)s”"),
    AuditAction.ATTACHMENT_ADDED: gettext_lazy("%(actor)s uploaded the file “%(name)s”"),
    AuditAction.VOTE_CAST: gettext_lazy("%(actor)s cast a vote"),
    AuditAction.CONFLICT_DECLARED: gettext_lazy("%(actor)s declared a conflict of interest"),
    AuditAction.RESOLUTION_RECORDED: gettext_lazy("%(actor)s recorded the committee's resolution"),
    AuditAction.PUBLICITY_OPENED: gettext_lazy("%(actor)s opened the publicity period"),
    AuditAction.PUBLICITY_CLOSED: gettext_lazy("%(actor)s closed the publicity period"),
    AuditAction.OBJECTION_LODGED: gettext_lazy("%(actor)s lodged an objection"),
    AuditAction.OBJECTION_RULED: gettext_lazy("%(actor)s ruled on an objection"),
    AuditAction.APPEAL_LODGED: gettext_lazy("%(actor)s applied for a review"),
    AuditAction.DECISION_RENDERED: gettext_lazy("%(actor)s generated the decision document"),
    AuditAction.DECISION_SIGNED: gettext_lazy("%(actor)s sealed the decision document"),
    AuditAction.DECISION_ISSUED: gettext_lazy("%(actor)s issued the decision document"),
    AuditAction.DECISION_DOWNLOADED: gettext_lazy("%(actor)s downloaded the decision document"),
    AuditAction.DECISION_VERIFIED: gettext_lazy("%(actor)s verified the decision document"),
    AuditAction.DECISION_REVOKED: gettext_lazy("%(actor)s revoked the decision document"),
    AuditAction.NOTIFICATION_SENT: gettext_lazy("%(actor)s sent a notification"),
    AuditAction.PERMISSION_GRANTED: gettext_lazy("%(actor)s granted a permission"),
    AuditAction.PERMISSION_REVOKED: gettext_lazy("%(actor)s revoked a permission"),
    AuditAction.EXPORT_MADE: gettext_lazy("%(actor)s exported the audit trail (%(format)s)"),
    AuditAction.DEMO_TIME_MOVED: gettext_lazy("%(actor)s moved the demo clock past “%(title)s”"),
}
_FALLBACK_SENTENCE = gettext_lazy("%(actor)s: %(action)s")
# Parties read what happened to their case, not how the workflow engine moved it: who took or released
# a task, what the system sent or exported is left out, and steps read as steps.
_PARTY_HIDDEN = {
    AuditAction.TASK_CREATED,
    AuditAction.TASK_ASSIGNED,
    AuditAction.TASK_RELEASED,
    AuditAction.TASK_CANCELLED,
    AuditAction.NOTIFICATION_SENT,
    AuditAction.EXPORT_MADE,
    AuditAction.DECISION_RENDERED,
    AuditAction.DECISION_SIGNED,
}
_PARTY_SENTENCES = {
    AuditAction.TASK_COMPLETED: gettext_lazy("Step completed: %(title)s"),
    AuditAction.TIMER_FIRED: gettext_lazy("Period ended: %(title)s"),
    AuditAction.FORM_SUBMITTED: gettext_lazy("%(actor)s recorded the %(title)s"),
}
# What a party reads instead: an objection's author is not told to the person objected to.
_ANONYMOUS_SENTENCES = {
    AuditAction.OBJECTION_LODGED: gettext_lazy("An objection was lodged"),
}


@dataclass(frozen=True)
class TimelineEntry:
    when: str
    sentence: str
    link: str | None
    sequence: int


def actor_display(event) -> str:
    """ "王科（经办人）", or "the system" for events no person caused."""
    if not event.actor_username:
        return _("the system")
    name = event.actor_name or event.actor_username
    held = set(event.actor_role.split(",")) if event.actor_role else set()
    label = next((label for role, label in _ROLE_SHORT_LABELS.items() if role in held), None)
    return _("%(name)s (%(role)s)") % {"name": name, "role": label} if label else name


# Form code (payload["form"] of form.submitted events) -> its label; apps register theirs in ready().
_FORM_TITLES = {}


def register_form_titles(titles: dict) -> None:
    _FORM_TITLES.update(titles)


def event_sentence(event, *, hide_objectors: bool = False) -> str:
    """The event as a sentence; `hide_objectors` for a party, who must not learn who lodged an objection
    and reads the plain wording."""
    if hide_objectors and event.action in _ANONYMOUS_SENTENCES:
        return str(_ANONYMOUS_SENTENCES[event.action])
    sentences = {**_SENTENCES, **_PARTY_SENTENCES} if hide_objectors else _SENTENCES
    payload = event.payload if isinstance(event.payload, dict) else {}
    values = {
        "actor": actor_display(event),
        "action": event.get_action_display(),
        "title": payload.get("title")
        or _FORM_TITLES.get(payload.get("form"))
        or payload.get("form")
        or event.get_action_display(),
        "name": payload.get("name", ""),
        "format": str(payload.get("format", "")).upper(),
    }
    return str(sentences.get(event.action, _FALLBACK_SENTENCE)) % values


def _links(case, events) -> dict[int, str]:
    """URL per event sequence: the attachment download, or the target's own page if it has one."""
    wanted = defaultdict(set)
    for event in events:
        if event.target_type and event.target_id.isdigit():
            wanted[event.target_type].add(int(event.target_id))
    urls = {}
    for label, ids in wanted.items():
        if label == "tolerance.Attachment":
            urls.update({(label, pk): reverse("cases:attachment_download", args=[case.pk, pk]) for pk in ids})
            continue
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        # The case page is where the timeline is; task pages are staff-only and say nothing a sentence does not.
        if not hasattr(model, "get_absolute_url") or label == "tolerance.Case" or label.startswith("viewflow."):
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            urls[(label, obj.pk)] = obj.get_absolute_url()
    return {
        event.sequence: urls[(event.target_type, int(event.target_id))]
        for event in events
        if event.target_id.isdigit() and (event.target_type, int(event.target_id)) in urls
    }


def case_timeline(user, case) -> list[TimelineEntry]:
    events = list(case_trail_visible_to(user, case))
    # Parties (who see a filtered trail) see that objections were lodged, never by whom.
    hide_objectors = not user_sees_whole_trail(user, case)
    if hide_objectors:
        events = [event for event in events if event.action not in _PARTY_HIDDEN]
    links = _links(case, events)
    return [
        TimelineEntry(
            when=date_format(timezone.localtime(event.occurred_at), "DATETIME_FORMAT"),
            sentence=event_sentence(event, hide_objectors=hide_objectors),
            link=links.get(event.sequence),
            sequence=event.case_sequence,
        )
        for event in events
    ]


def timeline_panel_context(request, case) -> dict:
    return {
        "timeline": case_timeline(request.user, case),
        "can_export_trail": user_may_export_trail(request.user, case),
    }
