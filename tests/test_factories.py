"""The factories make the rows the real code makes, and the bulk seed of the list tests agrees with them."""

import pytest
from django.utils import timezone

from tests import factories
from tests.workflows.lists_fixtures import exemption_flow_fixture, seed_cases_fixture  # noqa: F401
from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import CaseSubject, CaseTypePolicy
from tolerance.selectors.cases import cases_visible_to
from tolerance.services.cases import SubjectSpec, case_file
from workflows.exemption.tolerance_list import PolicyItemKind

pytestmark = pytest.mark.django_db


def test_a_user_has_a_profile_and_one_role_like_a_demo_user():
    institution = factories.InstitutionFactory()
    officer = factories.OfficerFactory(institution=institution, real_name="王科")

    assert officer.profile.institution == institution and officer.profile.real_name == "王科"
    assert roles.user_roles(officer) == {roles.OFFICER}
    assert officer.check_password("tolerance-demo")
    supervisor = factories.SupervisorFactory()
    assert supervisor.profile.institution is None and roles.user_roles(supervisor) == {roles.SUPERVISOR}
    assert set(factories.UserFactory(role=None).groups.all()) == set()


def test_an_institution_comes_with_its_exemption_policy_numbers():
    institution = factories.InstitutionFactory()

    policy = CaseTypePolicy.objects.get(institution=institution)
    assert (policy.case_type, policy.publicity_days) == ("MZ", 5)


def test_a_made_case_continues_the_numbers_filing_allocates(guet, users):
    made = factories.CaseFactory(institution=guet, filed_by=users["officer_guet"], subjects=[users["researcher_zhang"]])
    filed = case_file(
        institution=guet,
        case_type="MZ",
        title="专利转让失败",
        filed_by=users["officer_guet"],
        subjects=[SubjectSpec(users["researcher_zhang"])],
    )

    year = timezone.localdate().year
    assert (made.number, filed.number) == (f"GUET-MZ-{year}-0001", f"GUET-MZ-{year}-0002")
    assert made.subject_links.get().role_in_case == factories.SUBJECT_ROLE
    assert made in cases_visible_to(users["researcher_zhang"])
    assert not AuditEvent.objects.filter(case_id=made.pk).exists()


def test_a_filed_case_went_through_the_filing_service(guet, users):
    case = factories.FiledCaseFactory(
        institution=guet, filed_by=users["officer_guet"], subjects=[users["researcher_li"]]
    )

    assert AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.CASE_FILED).count() == 1
    assert list(case.subjects.all()) == [users["researcher_li"]]


def test_a_case_by_default_has_an_officer_and_a_researcher_of_its_institution():
    case = factories.CaseFactory()

    subject = case.subjects.get()
    assert case.filed_by.profile.institution == case.institution == subject.profile.institution
    assert roles.user_roles(subject) == {roles.RESEARCHER}


def test_exemption_details_cite_an_entry_of_the_list_in_force():
    details = factories.ExemptionDetailsFactory()

    entry = details.cited_entries.get()
    assert entry.version == details.policy_version and entry.kind == PolicyItemKind.ENTRY
    assert details.policy_version.institution == details.case.institution
    assert factories.PolicyVersionFactory(institution=details.case.institution).number == 2


def test_an_attachment_is_stored_through_the_service(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    attachment = factories.AttachmentFactory(category="minutes")

    assert attachment.content_type == "application/pdf" and attachment.size == len(factories.PDF_BYTES)


def test_the_bulk_seed_writes_cases_as_the_factories_make_them(seed_cases):
    seeded = seed_cases(2)[0]
    made = factories.CaseFactory(institution=seeded.institution, year=seeded.year)

    assert seeded.number.rsplit("-", 1)[0] == made.number.rsplit("-", 1)[0]
    assert len(seeded.number) == len(made.number)
    assert seeded.title.rsplit("（", 1)[0] == made.title.rsplit("（", 1)[0]
    assert {link.role_in_case for link in CaseSubject.objects.filter(case__in=[seeded, made])} == {
        factories.SUBJECT_ROLE
    }
