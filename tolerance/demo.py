"""Demo institutions and users, created idempotently by `manage.py seed_demo`."""

import datetime
import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from tolerance import roles
from tolerance.models import CommitteePosition, CommitteeSeat, Department, DepartmentContact, Institution, Profile

DEFAULT_DEMO_PASSWORD = "tolerance-demo"

INSTITUTIONS = [
    {
        "code": "GUET",
        "name_zh": "桂林电子科技大学",
        "name_en": "Guilin University of Electronic Technology",
        "hr_contact_email": "hr@guet.example.cn",
    },
    {
        "code": "GXNU",
        "name_zh": "广西师范大学",
        "name_en": "Guangxi Normal University",
        "hr_contact_email": "hr@gxnu.example.cn",
    },
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    real_name: str
    role: str | None
    institution: str | None = None
    organisation: str = ""
    department: str = ""
    staff_number: str = ""
    # The department a department contact acts for (tolerance.models.Department).
    acts_for: str = ""


DEMO_USERS = [
    DemoUser("officer_guet", "王科", roles.OFFICER, "GUET", department="技术转移中心", staff_number="G1001"),
    DemoUser("reviewer_guet", "陈审", roles.OFFICER, "GUET", department="科学技术处", staff_number="G1002"),
    DemoUser(
        "chair_guet", "刘主任", roles.COMMITTEE_CHAIR, "GUET", department="成果转化容错认定委员会", staff_number="G2001"
    ),
    DemoUser("member1_guet", "赵委员", roles.COMMITTEE_MEMBER, "GUET", department="纪委办公室", staff_number="G2002"),
    DemoUser("member2_guet", "钱委员", roles.COMMITTEE_MEMBER, "GUET", department="财务处", staff_number="G2003"),
    DemoUser("member3_guet", "孙委员", roles.COMMITTEE_MEMBER, "GUET", department="法律事务室", staff_number="G2004"),
    DemoUser(
        "member4_guet", "李委员", roles.COMMITTEE_MEMBER, "GUET", department="国有资产管理处", staff_number="G2005"
    ),
    DemoUser("researcher_zhang", "张三", roles.RESEARCHER, "GUET", department="信息与通信学院", staff_number="G3001"),
    DemoUser("researcher_li", "李四", roles.RESEARCHER, "GUET", department="机电工程学院", staff_number="G3002"),
    # Responsible persons who are not researchers: a leader and a manager named in exemption cases.
    DemoUser("leader_guet", "周副校长", None, "GUET", department="校领导", staff_number="G5001"),
    DemoUser("manager_guet", "吴处长", None, "GUET", department="科学技术处", staff_number="G5002"),
    DemoUser("licensee_demo", "周经理", roles.LICENSEE_CONTACT, None, organisation="桂林漓江智能装备有限公司"),
    DemoUser("licensee_other", "吴经理", roles.LICENSEE_CONTACT, None, organisation="桂林桂北新材料科技有限公司"),
    DemoUser("officer_gxnu", "黄科", roles.OFFICER, "GXNU", department="科学技术处", staff_number="X1001"),
    DemoUser("researcher_gxnu", "韦五", roles.RESEARCHER, "GXNU", department="化学与药学学院", staff_number="X3001"),
    # GXNU's second officer and committee, so that its cases can pass the four-eyes and committee steps.
    DemoUser("reviewer_gxnu", "覃审", roles.OFFICER, "GXNU", department="科学技术处", staff_number="X1002"),
    DemoUser(
        "chair_gxnu", "蒙主任", roles.COMMITTEE_CHAIR, "GXNU", department="科技成果转化领导小组", staff_number="X2001"
    ),
    DemoUser("member1_gxnu", "陆委员", roles.COMMITTEE_MEMBER, "GXNU", department="人事处", staff_number="X2002"),
    DemoUser("member2_gxnu", "梁委员", roles.COMMITTEE_MEMBER, "GXNU", department="财务处", staff_number="X2003"),
    DemoUser(
        "hr_guet",
        "何人事",
        roles.DEPARTMENT_CONTACT,
        "GUET",
        department="人事处",
        staff_number="G4001",
        acts_for=Department.HR,
    ),
    DemoUser(
        "research_guet",
        "严科研",
        roles.DEPARTMENT_CONTACT,
        "GUET",
        department="科学技术处",
        staff_number="G4002",
        acts_for=Department.RESEARCH,
    ),
    DemoUser(
        "assets_guet",
        "冯资产",
        roles.DEPARTMENT_CONTACT,
        "GUET",
        department="国有资产管理处",
        staff_number="G4003",
        acts_for=Department.ASSETS,
    ),
    DemoUser(
        "finance_guet",
        "蒋财务",
        roles.DEPARTMENT_CONTACT,
        "GUET",
        department="财务处",
        staff_number="G4004",
        acts_for=Department.FINANCE,
    ),
    DemoUser(
        "discipline_guet",
        "秦纪检",
        roles.DEPARTMENT_CONTACT,
        "GUET",
        department="纪委办公室",
        staff_number="G4005",
        acts_for=Department.DISCIPLINE,
    ),
    DemoUser(
        "hr_gxnu",
        "覃人事",
        roles.DEPARTMENT_CONTACT,
        "GXNU",
        department="人事处",
        staff_number="X4001",
        acts_for=Department.HR,
    ),
    DemoUser(
        "finance_gxnu",
        "蓝财务",
        roles.DEPARTMENT_CONTACT,
        "GXNU",
        department="财务处",
        staff_number="X4004",
        acts_for=Department.FINANCE,
    ),
    DemoUser(
        "discipline_gxnu",
        "莫纪检",
        roles.DEPARTMENT_CONTACT,
        "GXNU",
        department="纪委办公室",
        staff_number="X4005",
        acts_for=Department.DISCIPLINE,
    ),
    DemoUser(
        "instadmin_guet", "韦管理", roles.INSTITUTION_ADMIN, "GUET", department="技术转移中心", staff_number="G9001"
    ),
    DemoUser(
        "instadmin_gxnu", "潘管理", roles.INSTITUTION_ADMIN, "GXNU", department="科学技术处", staff_number="X9001"
    ),
    DemoUser("supervisor_city", "桂林市科技局", roles.SUPERVISOR, None, organisation="桂林市科学技术局"),
    DemoUser("admin", "系统管理员", roles.ADMINISTRATOR, None, organisation="平台运维"),
]


_SEAT_POSITIONS = {roles.COMMITTEE_CHAIR: CommitteePosition.CHAIR, roles.COMMITTEE_MEMBER: CommitteePosition.MEMBER}


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def seed_institutions() -> dict[str, Institution]:
    institutions = {}
    for data in INSTITUTIONS:
        institution, _ = Institution.objects.get_or_create(code=data["code"], defaults=data)
        institutions[institution.code] = institution
    return institutions


def seed_users(institutions) -> dict:
    """Create missing demo users; existing ones keep their password and any edits made since."""
    User = get_user_model()
    password = demo_password()
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username, email=f"{spec.username}@demo.example.cn")
            user.set_password(password)
            if spec.username == "admin":
                user.is_superuser = True
                user.is_staff = True
            user.save()
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "institution": institutions.get(spec.institution),
                "organisation": spec.organisation,
                "real_name": spec.real_name,
                "staff_number": spec.staff_number,
                "department": spec.department,
                "email": user.email,
            },
        )
        if spec.role:
            user.groups.add(Group.objects.get(name=spec.role))
        if spec.role in _SEAT_POSITIONS:
            # The committee's demo members sit from the start of the year of seeding, with no end set.
            CommitteeSeat.objects.get_or_create(
                user=user,
                institution=institutions[spec.institution],
                defaults={
                    "position": _SEAT_POSITIONS[spec.role],
                    "term_starts_on": datetime.date(timezone.localdate().year, 1, 1),
                },
            )
        if spec.acts_for:
            DepartmentContact.objects.get_or_create(
                institution=institutions[spec.institution], department=spec.acts_for, user=user
            )
        users[spec.username] = user
    return users
