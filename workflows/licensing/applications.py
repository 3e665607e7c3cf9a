"""A company applies through the portal; an officer accepts the application into the flow (the case,
its number and the review start then) or declines it with a reason. The terms are checked by the same
rules as an officer's filing (services.licence_request_check), when filed and again when accepted."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import CompanyContact
from tolerance.notifications.services import notify
from tolerance.services.attachments import attachment_from_store, evidence_store
from tolerance.services.uploads import CheckedUpload
from tolerance.text import text_validate
from workflows.access import is_officer_of
from workflows.licensing.application_models import ApplicationDocument, ApplicationStatus, LicenceApplication
from workflows.licensing.notices import APPLICATION
from workflows.licensing.policy import LicensingPolicy, licensing_version_current
from workflows.licensing.services import LicenceRequest, licence_request_check, licensing_file

DOCUMENT_CATEGORY = "licensing_application"
TERMS = [
    "intended_use",
    "licence_type",
    "fields_of_use",
    "territories",
    "start_on",
    "end_on",
    "free_use_months",
    "trigger_mode",
    "trigger_date",
    "trigger_milestone",
    "trigger_revenue",
    "payment_mode",
    "fee_total",
    "instalments",
    "royalty_percent",
    "valuation_reference",
]


def contact_company(user):
    """The company the user acts for, or None."""
    link = CompanyContact.objects.filter(user_id=user.pk, is_active=True).select_related("company").first()
    return link.company if link else None


def _request(terms: dict, *, title, company, results, inventors=()) -> LicenceRequest:
    return LicenceRequest(
        title=title, company=company, results=list(results), inventors=list(inventors), **{k: terms[k] for k in TERMS}
    )


def officers_of(institution):
    return (
        get_user_model()
        .objects.filter(groups__name=roles.OFFICER, profile__institution=institution, is_active=True)
        .distinct()
        .order_by("pk")
    )


def application_submit(*, submitted_by, title, results, terms: dict, documents) -> LicenceApplication:
    """The licensee contact files the application for their company: listed results of one institution,
    the terms asked for, and the company's documents."""
    company = contact_company(submitted_by)
    if company is None:
        raise ValidationError(_("Only a contact of a company can apply for a licence."))
    text_validate(title, label=_("case title"), field="title")
    if not title.strip():
        raise ValidationError({"title": _("Give the application a title.")})
    results = list(results)
    if not results:
        raise ValidationError({"results": _("Choose the results to be licensed.")})
    institutions = {result.institution_id for result in results}
    if len(institutions) > 1:
        raise ValidationError({"results": _("Apply for the results of one institution at a time.")})
    institution = results[0].institution
    if not documents:
        raise ValidationError({"documents": _("Attach the company's documents (licence, financial statements).")})
    policy = LicensingPolicy.from_data(licensing_version_current(institution).data)
    request = _request(terms, title=title, company=company, results=results)
    licence_request_check(institution, request, policy)
    checked = [evidence_store(uploaded) for uploaded in documents]
    with transaction.atomic():
        application = LicenceApplication.objects.create(
            institution=institution, company=company, submitted_by=submitted_by, title=title.strip(), **terms
        )
        application.results.set(results)
        for upload in checked:
            ApplicationDocument.objects.create(
                application=application,
                sha256=upload.sha256,
                size=upload.size,
                content_type=upload.content_type,
                original_name=upload.name,
            )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=submitted_by,
            target=application,
            payload={
                "form": "licensing_application",
                "institution": institution.code,
                "company": company.uscc,
                "results": [result.number for result in results],
                "licence_type": request.licence_type,
                "fee_total": str(request.fee_total),
                "documents": [upload.sha256 for upload in checked],
            },
        )
        notify(
            recipients=officers_of(institution),
            kind=APPLICATION,
            event_key=f"licensing:application:{application.pk}",
            title=lambda: _("%(company)s applied for a pay-after-use licence") % {"company": company.name},
            link="/licences/applications/",
        )
    return application


def _waiting(application, by) -> LicenceApplication:
    if not is_officer_of(by, application.institution_id):
        raise ValidationError(_("Only an officer of the institution applied to can decide on the application."))
    application = LicenceApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.WAITING:
        raise ValidationError(_("This application has already been decided."))
    return application


def application_accept(*, process, application, accepted_by, inventors=()):
    """Accept into the flow: the case is filed now (and only now takes its number), the company's
    documents become its evidence, and the review starts. Called by the flow's start_application node."""
    with transaction.atomic():
        application = _waiting(application, accepted_by)
        results = list(application.results.order_by("number"))
        request = _request(
            {name: getattr(application, name) for name in TERMS},
            title=application.title,
            company=application.company,
            results=results,
            inventors=inventors,
        )
        case = licensing_file(
            process=process, institution=application.institution, filed_by=accepted_by, request=request
        )
        for document in application.documents.all():
            attachment_from_store(
                case=case,
                uploaded_by=application.submitted_by,
                checked=CheckedUpload(
                    name=document.original_name,
                    size=document.size,
                    content_type=document.content_type,
                    sha256=document.sha256,
                ),
                category=DOCUMENT_CATEGORY,
                description=document.description,
            )
        application.status, application.case = ApplicationStatus.ACCEPTED, case
        application.decided_by, application.decided_at = accepted_by, timezone.now()
        application.save(update_fields=["status", "case", "decided_by", "decided_at"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=accepted_by,
            case=case,
            target=application,
            payload={"change": "licensing_application_accepted", "application": application.pk},
        )
        _tell_company(application, lambda: _("Your application was accepted as case %(case)s") % {"case": case.number})
    return case


def application_decline(*, application, declined_by, reason) -> LicenceApplication:
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    with transaction.atomic():
        application = _waiting(application, declined_by)
        application.status, application.decline_reason = ApplicationStatus.DECLINED, reason.strip()
        application.decided_by, application.decided_at = declined_by, timezone.now()
        application.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=declined_by,
            target=application,
            payload={"form": "licensing_application_declined", "application": application.pk, "reason": reason},
        )
        _tell_company(
            application, lambda: _("Your application “%(title)s” was declined") % {"title": application.title}
        )
    return application


def _tell_company(application, title):
    contacts = [link.user for link in application.company.contacts.filter(is_active=True).select_related("user")]
    notify(
        recipients=contacts,
        kind=APPLICATION,
        event_key=f"licensing:application:{application.pk}:{application.status}",
        title=title,
        link="/licences/",
        case=application.case,
    )
