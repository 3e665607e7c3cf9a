"""factory-boy factories for the rows tests build again and again.

Two ways to get a case, on purpose:

- `CaseFactory` writes the rows (number allocated as filing does, subjects linked) and nothing else: no
  audit event, no checks. For tests about what happens to a case, not about filing it.
- `FiledCaseFactory` files it through `tolerance.services.cases.case_file`: the checks, the number and
  the `case_filed` audit event. For tests of the audit trail and of filing itself.

A case that went through the exemption flow comes from `exemption_case_filed` (the code driver,
`workflows.driver`) or from the page driver of tests/workflows/conftest.py, never from hand-made Task rows.

The values are those of the demo and of the filing form's tests; bench/lists_seed.py bulk-inserts cases
with the same values (it cannot afford one factory call per row), checked by tests/test_factories.py.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from tolerance import roles
from tolerance.case_types import DRAFT_STAGE
from tolerance.demo import DEFAULT_DEMO_PASSWORD
from tolerance.models import Attachment, Case, CaseSubject, CaseType, CaseTypePolicy, Institution, Profile
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import SubjectSpec, case_file, case_number_allocate
from workflows.exemption.models import ExemptionDetails, ExemptionStage, TransferRoute
from workflows.exemption.policy import policy_version_current
from workflows.exemption.tolerance_list import PolicyItem, PolicyItemKind, PolicyVersion

# A small well-formed PDF that libmagic recognises: evidence files.
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
# The role a subject plays in a case unless a test says otherwise.
SUBJECT_ROLE = "项目负责人"


def case_title(n: int) -> str:
    """The title of the n-th made-up case (the bulk seed uses it too)."""
    return f"成果转化失败容错免责认定（{n}）"


# The title the filing form tests give an exemption case.
EXEMPTION_TITLE = "某型号雷达信号处理专利转让失败"
# The failed conversion of an exemption case: the filing form tests' data, as model field values.
EXEMPTION_CONVERSION = {
    "result_title": "一种雷达信号处理方法（ZL202110356789.4）",
    "route": TransferRoute.TRANSFER,
    "counterparty": "桂林某电子科技有限公司",
    "contract_number": "GUET-ZR-2025-018",
    "contract_amount": Decimal("800000.00"),
    "contract_signed_on": datetime.date(2025, 3, 1),
    "failed_on": datetime.date(2026, 6, 30),
    "failure_description": "受让方因下游市场需求骤降停止产业化，转让款尾款未能收回。",
    "loss_amount": Decimal("320000.00"),
}


class InstitutionFactory(DjangoModelFactory):
    """An institution with its exemption policy numbers (the CaseTypePolicy defaults)."""

    class Meta:
        model = Institution
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"INST{n}")
    name_zh = factory.Sequence(lambda n: f"测试大学{n}")
    name_en = factory.Sequence(lambda n: f"Test University {n}")
    hr_contact_email = factory.LazyAttribute(lambda o: f"hr@{o.code.lower()}.example.cn")
    exemption_policy = factory.RelatedFactory(
        "tests.factories.CaseTypePolicyFactory", factory_related_name="institution"
    )


class CaseTypePolicyFactory(DjangoModelFactory):
    class Meta:
        model = CaseTypePolicy
        django_get_or_create = ("institution", "case_type")

    institution = factory.SubFactory(InstitutionFactory, exemption_policy=None)
    case_type = CaseType.EXEMPTION
    document_number_prefix = factory.LazyAttribute(lambda o: f"{o.institution.code}{o.case_type}容认")


class RoleMembershipFactory(DjangoModelFactory):
    """A user's membership of a role group (tolerance.roles); the groups exist once migrate has run."""

    class Meta:
        model = get_user_model().groups.through

    class Params:
        role = roles.RESEARCHER

    group = factory.LazyAttribute(lambda o: Group.objects.get(name=o.role))


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(
        "tests.factories.UserFactory", profile=None, institution=factory.SelfAttribute("..institution")
    )
    institution = factory.SubFactory(InstitutionFactory)
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    staff_number = factory.Sequence(lambda n: f"T{n:04d}")
    department = ""
    email = factory.SelfAttribute("user.email")


class UserFactory(DjangoModelFactory):
    """A user as `tolerance.demo.seed_users` makes one: demo password, profile, one role group.

    `UserFactory(role=roles.OFFICER, institution=guet)`; `institution=None` for users of no institution
    (supervisors, company contacts), `role=None` for none. The role factories below fill both in.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    class Params:
        role = roles.RESEARCHER
        institution = factory.SubFactory(InstitutionFactory)
        real_name = factory.Sequence(lambda n: f"测试用户{n}")
        department = ""
        organisation = ""

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@demo.example.cn")
    password = Password(DEFAULT_DEMO_PASSWORD)
    profile = factory.RelatedFactory(
        ProfileFactory,
        factory_related_name="user",
        institution=factory.SelfAttribute("..institution"),
        real_name=factory.SelfAttribute("..real_name"),
        department=factory.SelfAttribute("..department"),
        organisation=factory.SelfAttribute("..organisation"),
    )
    role_membership = factory.Maybe(
        "role",
        yes_declaration=factory.RelatedFactory(
            RoleMembershipFactory, factory_related_name="user", role=factory.SelfAttribute("..role")
        ),
        no_declaration=None,
    )


class OfficerFactory(UserFactory):
    class Params:
        role = roles.OFFICER
        department = "技术转移中心"


class ResearcherFactory(UserFactory):
    class Params:
        role = roles.RESEARCHER
        department = "信息与通信学院"


class CommitteeMemberFactory(UserFactory):
    class Params:
        role = roles.COMMITTEE_MEMBER
        department = "成果转化容错认定委员会"


class CommitteeChairFactory(UserFactory):
    class Params:
        role = roles.COMMITTEE_CHAIR
        department = "成果转化容错认定委员会"


class LicenseeContactFactory(UserFactory):
    class Params:
        role = roles.LICENSEE_CONTACT
        institution = None
        organisation = "桂林漓江智能装备有限公司"


class SupervisorFactory(UserFactory):
    class Params:
        role = roles.SUPERVISOR
        institution = None
        organisation = "桂林市科学技术局"


class AdministratorFactory(UserFactory):
    """In the administrator group; `is_staff=True` to let them into the admin site too."""

    class Params:
        role = roles.ADMINISTRATOR
        institution = None
        organisation = "平台运维"


def _subject_specs(subjects) -> list[SubjectSpec]:
    """Subjects as tests name them: users, (user, role) pairs or SubjectSpecs."""
    specs = []
    for subject in subjects:
        if isinstance(subject, SubjectSpec):
            specs.append(subject)
        elif isinstance(subject, tuple):
            specs.append(SubjectSpec(*subject))
        else:
            specs.append(SubjectSpec(subject, SUBJECT_ROLE))
    return specs


class CaseFactory(DjangoModelFactory):
    """A case's rows: `CaseFactory(institution=guet, filed_by=officer, subjects=[researcher])`.

    The number is allocated as filing allocates it (so later filings continue the sequence); the default
    filer is a new officer and the default subject a new researcher, both of the case's institution.
    """

    class Meta:
        model = Case
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    case_type = CaseType.EXEMPTION
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(case_title)
    filed_by = factory.SubFactory(OfficerFactory, institution=factory.SelfAttribute("..institution"))
    stage = DRAFT_STAGE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with transaction.atomic():
            if "sequence" not in kwargs:
                kwargs["sequence"], kwargs["number"] = case_number_allocate(
                    institution=kwargs["institution"], case_type=kwargs["case_type"], year=kwargs["year"]
                )
            return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def subjects(case, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [ResearcherFactory(institution=case.institution)]
        CaseSubject.objects.bulk_create(
            [
                CaseSubject(case=case, user=spec.user, role_in_case=spec.role_in_case)
                for spec in _subject_specs(extracted)
            ]
        )


class FiledCaseFactory(CaseFactory):
    """A case filed through `case_file`: its checks, its number and its `case_filed` audit event.

    `year`, `stage` and `sequence` are the service's to set; `subjects` as for CaseFactory.
    """

    subjects = factory.LazyAttribute(lambda o: [ResearcherFactory(institution=o.institution)])

    @classmethod
    def _create(cls, model_class, *, institution, case_type, title, filed_by, subjects, **_set_by_the_service):
        return case_file(
            institution=institution,
            case_type=case_type,
            title=title,
            filed_by=filed_by,
            subjects=_subject_specs(subjects),
        )


class CaseSubjectFactory(DjangoModelFactory):
    class Meta:
        model = CaseSubject

    case = factory.SubFactory(CaseFactory, subjects=[])
    user = factory.SubFactory(ResearcherFactory, institution=factory.SelfAttribute("..case.institution"))
    role_in_case = SUBJECT_ROLE


class PolicyVersionFactory(DjangoModelFactory):
    """A tolerance list version, numbered after the institution's latest (so it is the one in force)."""

    class Meta:
        model = PolicyVersion

    institution = factory.SubFactory(InstitutionFactory)
    number = factory.LazyAttribute(
        lambda o: (
            (
                PolicyVersion.objects.filter(institution=o.institution)
                .order_by("-number")
                .values_list("number", flat=True)
                or [0]
            )[0]
            + 1
        )
    )
    effective_from = datetime.date(2020, 1, 1)
    title = "科技成果转化容错清单"


class PolicyItemFactory(DjangoModelFactory):
    """`PolicyItemFactory(version=v, kind=PolicyItemKind.MITIGATING)`; an entry of the list by default."""

    class Meta:
        model = PolicyItem

    version = factory.SubFactory(PolicyVersionFactory)
    kind = PolicyItemKind.ENTRY
    code = factory.Sequence(lambda n: f"X{n}")
    order = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"容错情形{n}")
    text = factory.LazyAttribute(lambda o: f"{o.title}的认定标准。")


class ExemptionDetailsFactory(DjangoModelFactory):
    """The exemption data of a case, judged under the list in force at its institution (a new one if none).

    `cited_entries` defaults to the first entry of that list.
    """

    class Meta:
        model = ExemptionDetails
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory, case_type=CaseType.EXEMPTION, stage=ExemptionStage.COMPLETENESS_CHECK)
    policy_version = factory.LazyAttribute(
        lambda o: policy_version_current(o.case.institution) or PolicyVersionFactory(institution=o.case.institution)
    )
    result_title = EXEMPTION_CONVERSION["result_title"]
    route = EXEMPTION_CONVERSION["route"]
    counterparty = EXEMPTION_CONVERSION["counterparty"]
    contract_number = EXEMPTION_CONVERSION["contract_number"]
    contract_amount = EXEMPTION_CONVERSION["contract_amount"]
    contract_signed_on = EXEMPTION_CONVERSION["contract_signed_on"]
    failed_on = EXEMPTION_CONVERSION["failed_on"]
    failure_description = EXEMPTION_CONVERSION["failure_description"]
    loss_amount = EXEMPTION_CONVERSION["loss_amount"]

    @factory.post_generation
    def cited_entries(details, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            entry = details.policy_version.items.filter(kind=PolicyItemKind.ENTRY).order_by("order").first()
            extracted = [entry or PolicyItemFactory(version=details.policy_version)]
        details.cited_entries.set(extracted)


class AttachmentFactory(DjangoModelFactory):
    """An evidence file added through `attachment_add` (stored in the archive, type checked)."""

    class Meta:
        model = Attachment

    case = factory.SubFactory(CaseFactory)
    uploaded_by = factory.SelfAttribute("case.filed_by")
    original_name = "证明材料.pdf"
    content = PDF_BYTES
    category = ""
    description = ""

    @classmethod
    def _create(cls, model_class, *, case, uploaded_by, original_name, content, category, description, **_unused):
        uploaded = SimpleUploadedFile(original_name, content, content_type="application/pdf")
        return attachment_add(
            case=case, uploaded_by=uploaded_by, uploaded=uploaded, category=category, description=description
        )


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def exemption_case_filed(*, filed_by, subjects, institution=None, cited_entries=None, evidence=None, **conversion):
    """File an exemption case through its flow's start node from code (workflows.driver.flow_start), as the
    demo does: a Process, its start task done, the case waiting for its completeness check.

    Needs the institution's tolerance list loaded (the `policy` fixture); the conversion defaults to
    EXEMPTION_CONVERSION and the list's first entry, the evidence to one PDF per filing category.
    """
    from workflows.driver import flow_start
    from workflows.exemption.flow import ExemptionFlow
    from workflows.exemption.services import ConversionData, exemption_file

    institution = institution or filed_by.profile.institution
    if cited_entries is None:
        version = policy_version_current(institution)
        # The first entry for researchers: the subjects are researchers unless a test says otherwise.
        entries = version.items.filter(kind=PolicyItemKind.ENTRY).order_by("order")
        cited_entries = [entries.filter(audience__in=["", "researcher"]).first() or entries.first()]
    data = ConversionData(
        **{"title": EXEMPTION_TITLE, **EXEMPTION_CONVERSION, **conversion},
        cited_entries=cited_entries,
    )
    if evidence is None:
        evidence = {category: [pdf(f"{category}.pdf")] for category in ("minutes", "publicity", "cause")}
    return flow_start(
        ExemptionFlow,
        filed_by,
        lambda process: exemption_file(
            process=process,
            institution=institution,
            filed_by=filed_by,
            conversion=data,
            subjects=[
                spec if spec.audience else SubjectSpec(spec.user, spec.role_in_case, audience="researcher")
                for spec in _subject_specs(subjects)
            ],
            evidence=evidence,
        ),
    )


COMMITTEE = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]


def exemption_case_in_committee(users):
    """A GUET exemption case whose committee round the chair has opened (proposed outcome: exempt), driven
    from code through every task before it with the demo's users (the `users` fixture).

    Needs the GUET tolerance list loaded (the `policy` fixture).
    """
    from workflows.driver import task_complete
    from workflows.steps import committee

    chair = users["chair_guet"]
    case = exemption_case_evaluated(users)
    task_complete(case, "open_review", chair, lambda: committee.review_open(case=case, opened_by=chair, agenda="审议"))
    return case


def exemption_case_evaluated(users):
    """A GUET exemption case driven from code through the completeness check, the investigation and the
    confirmed evaluation (exempt): waiting for the chair to open the committee review.

    Needs the GUET tolerance list loaded (the `policy` fixture).
    """
    return exemption_evaluation_confirmed(users, exemption_case_investigated(users, exemption_case_accepted(users)))


def exemption_evaluation_confirmed(users, case):
    """The second officer (reviewer_guet) confirms the evaluation of an investigated case: exempt."""
    from workflows.driver import task_complete
    from workflows.exemption import investigation
    from workflows.exemption.models import ExemptionOutcome

    reviewer = users["reviewer_guet"]
    task_complete(
        case,
        "evaluate",
        reviewer,
        lambda: investigation.evaluation_confirm(
            case=case, confirmed_by=reviewer, outcome=ExemptionOutcome.EXEMPT, override_reason=""
        ),
    )
    return case


def exemption_case_accepted(users, case=None):
    """`case` (or a new GUET exemption case filed by officer_guet) accepted by the second officer's
    completeness check: waiting for the investigation."""
    from workflows.driver import task_complete
    from workflows.exemption import services as exemption
    from workflows.exemption.models import IntakeResult

    reviewer = users["reviewer_guet"]
    case = case or exemption_case_filed(filed_by=users["officer_guet"], subjects=[users["researcher_zhang"]])
    task_complete(
        case,
        "check_completeness",
        reviewer,
        lambda: exemption.intake_review_record(
            case=case, reviewed_by=reviewer, result=IntakeResult.ACCEPTED, reason=""
        ),
    )
    return case


def exemption_case_investigated(users, case):
    """The officer's findings on an accepted case, from code: every condition met, nothing negative."""
    from workflows.driver import task_complete
    from workflows.exemption import investigation
    from workflows.exemption.determinations import case_subjects, investigation_rows

    officer = users["officer_guet"]
    evidence = list(case.attachments.all()[:1])
    rows = investigation_rows(case, investigation.investigation_items(case), case_subjects(case))
    findings = [
        {
            "item": row.item,
            "subject": row.subject,
            "holds": row.item.kind == PolicyItemKind.CONDITION,
            "note": "经核查属实。",
            "evidence": evidence,
            "override_reason": "公示记录另有纸质存档。" if row.computed and not row.computed.met else "",
        }
        for row in rows
        if not row.not_applicable
    ]
    task_complete(
        case,
        "investigate",
        officer,
        lambda: investigation.findings_record(case=case, recorded_by=officer, findings=findings),
    )
    return case


def exemption_committee_votes(users, case):
    """Every member of the GUET committee declares no conflict and votes exempt in the open round."""
    from workflows.exemption.models import ExemptionOutcome
    from workflows.steps import committee

    for username in COMMITTEE:
        committee.conflict_declare(case=case, member=users[username], conflicted=False, note="")
        committee.vote_cast(
            case=case, member=users[username], outcome=ExemptionOutcome.EXEMPT, reason="事实清楚，程序完备。"
        )
    return case


def exemption_case_in_publicity(users):
    """A GUET exemption case the committee has resolved (exempt), now in its publicity period, driven from code
    through every task before it with the demo's users (the `users` fixture).

    Needs the GUET tolerance list loaded (the `policy` fixture).
    """
    from workflows.driver import task_complete
    from workflows.exemption.models import ExemptionOutcome
    from workflows.steps import committee

    chair = users["chair_guet"]
    outcome = ExemptionOutcome.EXEMPT
    case = exemption_committee_votes(users, exemption_case_in_committee(users))
    task_complete(
        case,
        "record_resolution",
        chair,
        lambda: committee.resolution_record(case=case, recorded_by=chair, outcome=outcome, text="经表决，形成决议。"),
    )
    return case


def exemption_case_decided(users):
    """A GUET exemption case the flow has decided (exempt) and now waits on for an appeal, driven from code
    through every task with the demo's users (the `users` fixture), as the demo seeds its decided cases.

    Needs the GUET tolerance list loaded (the `policy` fixture).
    """
    from workflows.driver import task_complete, timer_fire
    from workflows.steps import issuing

    officer = users["officer_guet"]
    case = exemption_case_in_publicity(users)
    timer_fire(case, "publicity_period")
    task_complete(
        case,
        "issue_decision",
        officer,
        lambda: issuing.case_decision_issue(case=case, issued_by=officer, facts="经查明……", reasoning="综上所述……"),
    )
    return case
