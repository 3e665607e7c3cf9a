from tolerance import roles
from tolerance.models import Department, DepartmentContact
from tolerance.selectors.departments import department_contacts, departments_of


def test_each_institution_names_its_own_department_contacts(users, guet, gxnu):
    assert list(department_contacts(guet, Department.FINANCE)) == [users["finance_guet"]]
    assert list(department_contacts(gxnu, Department.FINANCE)) == [users["finance_gxnu"]]
    assert departments_of(users["hr_guet"]) == {Department.HR}
    assert departments_of(users["hr_guet"], institution=gxnu) == set()
    assert roles.has_role(users["discipline_gxnu"], roles.DEPARTMENT_CONTACT)


def test_an_inactive_contact_or_user_receives_nothing(users, guet):
    DepartmentContact.objects.filter(user=users["hr_guet"]).update(is_active=False)
    assert not department_contacts(guet, Department.HR).exists()
    users["finance_guet"].is_active = False
    users["finance_guet"].save()
    assert not department_contacts(guet, Department.FINANCE).exists()


def test_a_department_contact_sees_no_case_by_role_alone(users, file_case):
    from tolerance.selectors.cases import cases_visible_to

    file_case()
    assert not cases_visible_to(users["hr_guet"]).exists()
