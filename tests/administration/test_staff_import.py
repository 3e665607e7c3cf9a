"""Staff import: the dry run reports every row, the import applies exactly the good rows, all or nothing,
and a second import of the same file changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tolerance import roles
from tolerance.audit.models import AuditEvent
from tolerance.models import Profile
from tolerance.services import staff_import

pytestmark = pytest.mark.django_db

HEADER = ["工号", "姓名", "部门", "邮箱", "电话", "机构代码"]
ROWS = [
    ["G6001", "周新", "信息与通信学院", "zhou@guet.example.cn", "0773-1234567", "GUET"],  # new
    ["G3001", "张三", "科学技术处", "", "", ""],  # 张三 exists: his department changes
    ["G6002", "吴甲", "机电工程学院", "wu1@guet.example.cn", "", "GUET"],  # duplicated below
    ["G6002", "吴乙", "机电工程学院", "wu2@guet.example.cn", "", "GUET"],
    ["G6003", "郑丙", "数学学院", "not-an-email", "", "GUET"],  # bad e-mail
    ["X6001", "韦丁", "化学与药学学院", "wei@gxnu.example.cn", "", "GXNU"],  # another institution's
]


def _csv(rows=ROWS) -> SimpleUploadedFile:
    text = "\n".join(",".join(row) for row in [HEADER, *rows]) + "\n"
    return SimpleUploadedFile("staff.csv", text.encode("utf-8-sig"), content_type="text/csv")


def _check(client, upload):
    response = client.post(reverse("institution:import"), {"file": upload})
    assert response.status_code == 200
    return response


def test_dry_run_reports_each_row_and_the_import_applies_only_the_good_ones_once(client_for, users, guet):
    client = client_for("instadmin_guet")
    before = (Profile.objects.count(), AuditEvent.objects.count())
    response = _check(client, _csv())
    plan = response.context["plan"]
    assert [result.action for result in plan] == ["create", "update", "error", "error", "error", "error"]
    body = response.content.decode()
    assert "工号 G6002 在文件中出现了不止一次" in body
    assert "“not-an-email”不是有效的电子邮箱地址" in body
    assert "该行属于其他单位（GXNU）" in body
    assert (Profile.objects.count(), AuditEvent.objects.count()) == before  # a dry run writes nothing

    applied = client.post(reverse("institution:import_apply"), {"digest": response.context["digest"]})
    assert applied.status_code == 302
    new = Profile.objects.get(staff_number="G6001")
    assert new.institution == guet and new.user.username == "guet_G6001" and roles.has_role(new.user, roles.RESEARCHER)
    zhang = Profile.objects.get(staff_number="G3001")
    assert zhang.department == "科学技术处" and zhang.real_name == "张三" and zhang.user == users["researcher_zhang"]
    assert not Profile.objects.filter(staff_number__in=["G6002", "G6003", "X6001"]).exists()

    # The same file again: every good row is unchanged and nothing is written.
    events = AuditEvent.objects.count()
    again = _check(client, _csv())
    assert [result.action for result in again.context["plan"]][:2] == ["unchanged", "unchanged"]
    assert client.post(reverse("institution:import_apply"), {"digest": again.context["digest"]}).status_code == 302
    assert AuditEvent.objects.count() == events and Profile.objects.filter(staff_number="G6001").count() == 1


def test_a_failure_part_way_leaves_nothing_imported(users, guet, monkeypatch):
    real_save = staff_import.policy_save
    saved = []

    def failing_save(*, actor, instance):
        saved.append(instance)
        if len(saved) > 2:
            raise RuntimeError("disk full")
        return real_save(actor=actor, instance=instance)

    monkeypatch.setattr(staff_import, "policy_save", failing_save)
    rows = staff_import.staff_file_rows(
        name="staff.csv", content=_csv(ROWS[:1] + [["G6009", "冯戊", "", "", "", ""]]).read()
    )
    with pytest.raises(RuntimeError):
        staff_import.staff_import_apply(actor=users["instadmin_guet"], institution=guet, rows=rows)
    assert not Profile.objects.filter(staff_number__in=["G6001", "G6009"]).exists()


def test_xlsx_is_read_like_csv_and_a_bad_file_is_refused_in_chinese(client_for, users):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([6001, "周新", "信息与通信学院", "zhou@guet.example.cn", "", "GUET"])  # a number cell
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for("instadmin_guet")
    response = _check(client, SimpleUploadedFile("staff.xlsx", buffer.getvalue()))
    (result,) = response.context["plan"]
    assert (result.action, result.values["staff_number"]) == ("create", "6001")

    refused = _check(client, SimpleUploadedFile("staff.xlsx", b"not a workbook"))
    assert "无法将该文件读取为 Excel 工作簿" in str(refused.context["form"].errors["file"])
    refused = _check(client, SimpleUploadedFile("staff.txt", b"x"))
    assert "请上传 .csv 或 .xlsx 文件" in str(refused.context["form"].errors["file"])
    # Applying without a checked file (or another's digest) imports nothing.
    response = client.post(reverse("institution:import_apply"), {"digest": "0" * 64})
    assert response.status_code == 302 and not Profile.objects.filter(staff_number="6001").exists()


def test_login_names_are_checked_before_anything_is_written(users, guet):
    header = "工号,姓名,登录名\n"
    body = "G6101,甲,same.login\nG6102,乙,SAME.login\nG6103,丙,bad login\nG6104,丁,officer_guet\n"
    rows = staff_import.staff_file_rows(name="staff.csv", content=(header + body).encode())
    plan = staff_import.staff_import_plan(institution=guet, rows=rows)
    assert [result.action for result in plan] == ["error"] * 4
    assert "在文件中出现了不止一次" in plan[0].errors[0] and "已被他人使用" in plan[3].errors[0]
    assert "只能使用" in plan[2].errors[0]
