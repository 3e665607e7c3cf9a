"""What the shared steps tell people, for a case of any type: the committee that a round is open,
the parties and the officer that publicity opened or closed, that an objection or appeal was lodged,
that the decision is out. Written with the change (tolerance.notifications.services.notify), once per
event, each in its recipient's language; links lead to the case page or the page to act on."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.models import Case, Department
from tolerance.notifications import kinds
from tolerance.notifications.services import email_queue, notify
from tolerance.request_context import current_user
from tolerance.selectors.departments import department_contacts


def _parties(case: Case) -> list:
    return [link.user for link in case.subject_links.select_related("user__profile")]


def _case_link(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _tell(case: Case, recipients, *, kind, event_key, title, body=None, link=None):
    acting = current_user()
    notify(
        recipients=[user for user in recipients if acting is None or user.pk != acting.pk],
        kind=kind,
        event_key=event_key,
        title=title,
        body=body,
        link=link or _case_link(case),
        case=case,
    )


def review_opened(case: Case, review, members) -> None:
    _tell(
        case,
        members,
        kind=kinds.TASK_AVAILABLE,
        event_key=f"review:{review.pk}:opened",
        title=lambda: _("Committee review of case %(case)s: declare any conflict, then vote") % {"case": case.number},
        body=lambda: (
            _("Round %(round)d on “%(title)s”. Agenda: %(agenda)s")
            % {"round": review.round, "title": case.title, "agenda": review.agenda}
        ),
        link=reverse("case_actions:conflict_declare", args=[case.pk]),
    )


def publicity_opened(case: Case, publicity) -> None:
    _tell(
        case,
        [*_parties(case), case.filed_by],
        kind=kinds.PUBLICITY_OPENED,
        event_key=f"publicity:{publicity.pk}:opened",
        title=lambda: (
            _("Case %(case)s is in publicity until %(date)s") % {"case": case.number, "date": publicity.ends_on}
        ),
        body=lambda: publicity.notice_text,
    )


def publicity_closed(case: Case, publicity, objections: int) -> None:
    _tell(
        case,
        [*_parties(case), case.filed_by],
        kind=kinds.PUBLICITY_CLOSED,
        event_key=f"publicity:{publicity.pk}:closed",
        title=lambda: _("Publicity of case %(case)s has ended") % {"case": case.number},
        body=lambda: _("Objections received: %(count)d.") % {"count": objections},
    )


def objection_lodged(case: Case, objection) -> None:
    # Parties are told there is an objection, never by whom (see the case page).
    _tell(
        case,
        [*_parties(case), case.filed_by],
        kind=kinds.OBJECTION_LODGED,
        event_key=f"objection:{objection.pk}",
        title=lambda: _("An objection was lodged on case %(case)s") % {"case": case.number},
    )


def appeal_lodged(case: Case, appeal) -> None:
    chairs = get_user_model().objects.filter(
        groups__name=roles.COMMITTEE_CHAIR, profile__institution_id=case.institution_id, is_active=True
    )
    _tell(
        case,
        [case.filed_by, *chairs],
        kind=kinds.APPEAL_LODGED,
        event_key=f"appeal:{appeal.pk}",
        title=lambda: _("An appeal was lodged on case %(case)s") % {"case": case.number},
        body=lambda: appeal.reasons,
    )


def decision_issued(case: Case, decision, text) -> list[str]:
    """The parties and the institution's HR contacts; `text()` gives (subject, body) in the active
    language. The HR office's own mailbox, if recorded, gets it by e-mail in the site's language.
    Returns who was told, for the audit event."""
    parties, hr_contacts = _parties(case), list(department_contacts(case.institution, Department.HR))
    # HR contacts cannot open the case page: their notice carries the decision's substance and no link.
    for recipients, link in ((parties, _case_link(case)), (hr_contacts, "")):
        notify(
            recipients=recipients,
            kind=kinds.DECISION_ISSUED,
            event_key=f"decision:{decision.pk}",
            title=lambda: text()[0],
            body=lambda: text()[1],
            link=link,
            case=case,
        )
    told = sorted({user.get_username() for user in [*parties, *hr_contacts]})
    hr = case.institution.hr_contact_email
    if hr:
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = text()
        email_queue(event_key=f"decision:{decision.pk}", to=hr, subject=subject, body=body)
        told.append(hr)
    return told
