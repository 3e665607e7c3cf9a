"""X3: a person concerned (researcher, manager or leader) applies for 容错 through the portal; an officer
adopts the application, filing the case pre-filled from it (trigger 自行申请, the case and its number
start only now), or declines it with a reason. The applicant is told either way. The facts are checked
by the filing's own rules when applied for, and the whole filing again when adopted."""

import dataclasses

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.notifications.services import notify
from tolerance.selectors.cases import user_institution_id
from tolerance.services.attachments import attachment_from_store, evidence_store
from tolerance.services.uploads import CheckedUpload
from tolerance.text import text_validate
from workflows.access import is_officer_of
from workflows.exemption.application_models import SelfApplication, SelfApplicationStatus
from workflows.exemption.models import TriggerSource
from workflows.exemption.policy import policy_version_current
from workflows.exemption.services import ConversionData, conversion_check, exemption_file
from workflows.exemption.tolerance_list import PolicyAudience, PolicyItemKind

SELF_APPLICATION = "exemption_self_application"
FACTS = [
    "title",
    "result_title",
    "route",
    "counterparty",
    "contract_number",
    "contract_amount",
    "contract_signed_on",
    "failed_on",
    "failure_description",
    "loss_amount",
]


def may_apply(user) -> bool:
    """Anyone on an institution's staff may apply for themselves: not a company's contact, nor the supervisor."""
    return (
        user.is_authenticated
        and user_institution_id(user) is not None
        and not roles.has_role(user, roles.LICENSEE_CONTACT, roles.SUPERVISOR)
    )


def self_applications_visible_to(user):
    """An officer sees the applications to their institution; anyone else their own."""
    if not user.is_authenticated:
        return SelfApplication.objects.none()
    if roles.has_role(user, roles.OFFICER) and user_institution_id(user) is not None:
        return SelfApplication.objects.filter(institution_id=user_institution_id(user))
    return SelfApplication.objects.filter(submitted_by_id=user.pk)


def _conversion(facts: dict, entries) -> ConversionData:
    return ConversionData(**{key: facts[key] for key in FACTS}, cited_entries=list(entries))


def self_application_submit(
    *, submitted_by, facts: dict, role_in_case: str, audience: str, post: str, cited_entries, documents: dict
) -> SelfApplication:
    """The applicant files the facts, the entries relied on and the evidence (category → files)."""
    if not may_apply(submitted_by):
        raise ValidationError(_("Only a member of an institution's staff can apply for exemption."))
    institution = submitted_by.profile.institution
    version = policy_version_current(institution)
    if version is None:
        raise ValidationError(_("No tolerance list is in force for this institution; load one first."))
    text_validate(facts["title"], label=_("case title"), field="title")
    if not facts["title"].strip():
        raise ValidationError({"title": _("Give the application a title.")})
    text_validate(role_in_case, label=_("role in the case"), field="role_in_case")
    text_validate(post, label=_("post"), field="post")
    if audience not in PolicyAudience.values:
        raise ValidationError({"audience": _("Say whether you are a leader, a manager or a researcher.")})
    entries = list(cited_entries)
    if not entries:
        raise ValidationError({"cited_entries": _("Cite at least one tolerance list entry.")})
    if any(entry.version_id != version.pk or entry.kind != PolicyItemKind.ENTRY for entry in entries):
        raise ValidationError({"cited_entries": _("Only entries of the tolerance list in force can be cited.")})
    if any(entry.audience and entry.audience != audience for entry in entries):
        raise ValidationError({"cited_entries": _("Cite only entries written for your audience.")})
    conversion_check(_conversion(facts, entries))
    if not any(documents.values()):
        raise ValidationError(_("Attach the evidence: at least the minutes of the collective decision."))
    stored = [
        (category, uploaded.name, evidence_store(uploaded))
        for category, files in documents.items()
        for uploaded in files
    ]
    with transaction.atomic():
        application = SelfApplication.objects.create(
            institution=institution,
            submitted_by=submitted_by,
            policy_version=version,
            role_in_case=role_in_case.strip(),
            audience=audience,
            post=post.strip(),
            documents=[
                {
                    "category": category,
                    "name": name,
                    "size": checked.size,
                    "content_type": checked.content_type,
                    "sha256": checked.sha256,
                }
                for category, name, checked in stored
            ],
            **{key: facts[key].strip() if isinstance(facts[key], str) else facts[key] for key in FACTS},
        )
        application.cited_entries.set(entries)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=submitted_by,
            target=application,
            payload={
                "form": SELF_APPLICATION,
                "institution": institution.code,
                "title": application.title,
                "cited_entries": [entry.code for entry in entries],
                "documents": [row["sha256"] for row in application.documents],
            },
        )
        officers = get_user_model().objects.filter(
            groups__name=roles.OFFICER, profile__institution=institution, is_active=True
        )
        notify(
            recipients=list(officers.distinct().order_by("pk")),
            kind=SELF_APPLICATION,
            event_key=f"exemption:self_application:{application.pk}",
            title=lambda: (
                _("%(name)s applied for exemption: %(title)s")
                % {"name": submitted_by.profile.real_name or submitted_by.get_username(), "title": application.title}
            ),
            link=reverse("exemption_register:self_application", args=[application.pk]),
        )
    return application


def filing_initial(application: SelfApplication) -> dict:
    """The officer's filing form, pre-filled from the application (the applicant as its first subject)."""
    return {
        **{key: getattr(application, key) for key in FACTS},
        "cited_entries": list(application.cited_entries.all()),
        "trigger_source": TriggerSource.SELF,
    }


def filing_subject(application: SelfApplication) -> dict:
    return {
        "user": application.submitted_by_id,
        "role": application.role_in_case,
        "audience": application.audience,
        "post": application.post,
    }


def _waiting(application, by) -> SelfApplication:
    if not is_officer_of(by, application.institution_id):
        raise ValidationError(_("Only an officer of the institution applied to can decide on the application."))
    if by.pk == application.submitted_by_id:
        raise ValidationError(_("You cannot decide on your own application."))
    application = SelfApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != SelfApplicationStatus.WAITING:
        raise ValidationError(_("This application has already been decided."))
    return application


def self_application_adopt(*, process, application, adopted_by, conversion: ConversionData, subjects, evidence):
    """File the case from the application (called by the flow's start_application node): the filing
    service's own checks, the trigger 自行申请, the applicant's evidence attached; the number is taken now."""
    if all(spec.user.pk != application.submitted_by_id for spec in subjects):
        raise ValidationError(_("The applicant must stay one of the case's subjects."))
    with transaction.atomic():
        application = _waiting(application, adopted_by)
        case = exemption_file(
            process=process,
            institution=application.institution,
            filed_by=adopted_by,
            conversion=dataclasses.replace(conversion, trigger_source=TriggerSource.SELF),
            subjects=subjects,
            evidence=evidence,
        )
        for row in application.documents:
            attachment_from_store(
                case=case,
                uploaded_by=application.submitted_by,
                checked=CheckedUpload(
                    name=row["name"], size=row["size"], content_type=row["content_type"], sha256=row["sha256"]
                ),
                category=row["category"],
            )
        application.status, application.case = SelfApplicationStatus.ADOPTED, case
        application.decided_by, application.decided_at = adopted_by, timezone.now()
        application.save(update_fields=["status", "case", "decided_by", "decided_at"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=adopted_by,
            case=case,
            target=application,
            payload={"change": "self_application_adopted", "application": application.pk},
        )
        _tell_applicant(application, lambda: _("Your application was adopted as case %(case)s") % {"case": case.number})
    return case


def self_application_decline(*, application, declined_by, reason: str) -> SelfApplication:
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    with transaction.atomic():
        application = _waiting(application, declined_by)
        application.status, application.decline_reason = SelfApplicationStatus.DECLINED, reason.strip()
        application.decided_by, application.decided_at = declined_by, timezone.now()
        application.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=declined_by,
            target=application,
            payload={"form": "exemption_self_application_declined", "application": application.pk, "reason": reason},
        )
        _tell_applicant(
            application, lambda: _("Your application “%(title)s” was declined") % {"title": application.title}
        )
    return application


def _tell_applicant(application, title):
    notify(
        recipients=[application.submitted_by],
        kind=SELF_APPLICATION,
        event_key=f"exemption:self_application:{application.pk}:{application.status}",
        title=title,
        body=lambda: application.decline_reason,
        link=reverse("exemption_register:self_application", args=[application.pk]),
        case=application.case,
    )
