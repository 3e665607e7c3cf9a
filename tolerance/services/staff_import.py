"""Importing an institution's staff list (CSV or XLSX) by staff number.

`staff_import_plan` reads the file and says, row by row, what an import would do (create, update, leave
unchanged) or why the row is refused; nothing is written. `staff_import_apply` applies the good rows of a
plan, re-checked against the database of that moment, in one transaction: all of them or, if anything
fails, none. A second import of the same file changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.models import Profile
from tolerance.services.policy import policy_save

# Header cell → field; Chinese and English headings both work.
_HEADERS = {
    "工号": "staff_number",
    "staff number": "staff_number",
    "staff_number": "staff_number",
    "姓名": "real_name",
    "name": "real_name",
    "部门": "department",
    "department": "department",
    "邮箱": "email",
    "电子邮箱": "email",
    "e-mail": "email",
    "email": "email",
    "电话": "phone",
    "phone": "phone",
    "机构": "institution",
    "机构代码": "institution",
    "institution": "institution",
    "登录名": "username",
    "login name": "username",
    "username": "username",
}
_PROFILE_FIELDS = ("real_name", "department", "email", "phone")
MAX_ROWS = 5000
MAX_FILE_BYTES = 10 * 1024 * 1024
# New people can at least follow the cases about them; the administrator gives other roles on their page.
IMPORTED_ROLE = roles.RESEARCHER


class StaffFileError(ValueError):
    """The file as a whole cannot be read (its message is shown beside the upload field)."""


@dataclass
class RowResult:
    line: int
    values: dict
    action: str = ""  # "create", "update", "unchanged" or "error"
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"line": self.line, "values": self.values}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a staff number typed as a number in Excel
    return str(value).strip()


def _rows_of_csv(content: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text)))
    raise StaffFileError(_("The file is neither UTF-8 nor GB18030 text; save it again as CSV (UTF-8)."))


def _rows_of_xlsx(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise StaffFileError(_("The file cannot be read as an Excel workbook (.xlsx).")) from error
    try:
        rows = []
        # Header, the allowed rows and one more, so an oversized sheet is refused without reading it all.
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def staff_file_rows(*, name: str, content: bytes) -> list[dict]:
    """The file's data rows as {field: text, "line": n}; the first row must be the header."""
    if len(content) > MAX_FILE_BYTES:
        raise StaffFileError(
            _("The file is larger than %(size)s; split it.") % {"size": filesizeformat(MAX_FILE_BYTES)}
        )
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        table = _rows_of_xlsx(content)
    elif lowered.endswith(".csv"):
        table = _rows_of_csv(content)
    else:
        raise StaffFileError(_("Upload a .csv or .xlsx file."))
    if not table:
        raise StaffFileError(_("The file is empty."))
    columns = [_HEADERS.get(_cell(heading).lower()) for heading in table[0]]
    missing = {"staff_number", "real_name"} - set(columns)
    if missing:
        raise StaffFileError(_("The header row must name at least the columns 工号 (staff number) and 姓名 (name)."))
    rows = []
    for line, raw in enumerate(table[1:], start=2):
        values = {column: _cell(value) for column, value in zip(columns, raw, strict=False) if column}
        if any(values.values()):
            rows.append({"line": line, **{key: values.get(key, "") for key in set(_HEADERS.values())}})
    if len(rows) > MAX_ROWS:
        raise StaffFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    if not rows:
        raise StaffFileError(_("The file has a header but no rows."))
    return rows


def _default_username(institution, staff_number: str) -> str:
    return f"{institution.code.lower()}_{staff_number}"


def _check_row(institution, row: dict, duplicated: set[str], duplicated_logins: set[str]) -> RowResult:
    values = {key: value for key, value in row.items() if key != "line"}
    result = RowResult(line=row["line"], values=values)
    staff_number = values["staff_number"]
    if not staff_number:
        result.errors.append(_("The staff number is missing."))
    elif len(staff_number) > 30:
        result.errors.append(_("The staff number is longer than 30 characters."))
    elif staff_number in duplicated:
        result.errors.append(
            _("The staff number %(number)s appears more than once in the file.") % {"number": staff_number}
        )
    if values["institution"] and values["institution"].upper() != institution.code:
        result.errors.append(
            _("The row is for another institution (%(code)s); only %(own)s's staff can be imported here.")
            % {"code": values["institution"], "own": institution.code}
        )
    if not values["real_name"]:
        result.errors.append(_("The name is missing."))
    elif len(values["real_name"]) > 50:
        result.errors.append(_("The name is longer than 50 characters."))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            result.errors.append(_("“%(email)s” is not a valid e-mail address.") % {"email": values["email"]})
    if values["phone"]:
        try:
            Profile._meta.get_field("phone").run_validators(values["phone"])
        except ValidationError:
            result.errors.append(_("“%(phone)s” is not a valid phone number.") % {"phone": values["phone"]})
    if values["username"]:
        try:
            get_user_model().username_validator(values["username"])
            if len(values["username"]) > 150:
                raise ValidationError("too long")
        except ValidationError:
            result.errors.append(
                _("The login name %(name)s may only use letters, digits and @ . + - _ (at most 150).")
                % {"name": values["username"]}
            )
    if len(values["department"]) > 100:
        result.errors.append(_("The department is longer than 100 characters."))
    if result.errors:
        result.action = "error"
        return result
    profile = Profile.objects.filter(institution=institution, staff_number=staff_number).select_related("user").first()
    if profile is None:
        username = values["username"] or _default_username(institution, staff_number)
        if username.lower() in duplicated_logins:
            result.errors.append(_("The login name %(name)s appears more than once in the file.") % {"name": username})
            result.action = "error"
            return result
        if get_user_model().objects.filter(username__iexact=username).exists():
            result.errors.append(_("The login name %(name)s is taken by someone else.") % {"name": username})
            result.action = "error"
            return result
        result.action = "create"
        return result
    # An empty cell keeps what is there: a list with fewer columns never erases details.
    result.changes = [name for name in _PROFILE_FIELDS if values[name] and values[name] != getattr(profile, name)]
    result.action = "update" if result.changes else "unchanged"
    return result


def staff_import_plan(*, institution, rows: list[dict]) -> list[RowResult]:
    """What importing `rows` would do, row by row; writes nothing."""
    seen: dict[str, int] = {}
    for row in rows:
        if row["staff_number"]:
            seen[row["staff_number"]] = seen.get(row["staff_number"], 0) + 1
    duplicated = {number for number, count in seen.items() if count > 1}
    logins: dict[str, int] = {}
    for row in rows:
        if row["username"]:
            logins[row["username"].lower()] = logins.get(row["username"].lower(), 0) + 1
    duplicated_logins = {login for login, count in logins.items() if count > 1}
    return [_check_row(institution, row, duplicated, duplicated_logins) for row in rows]


def staff_import_apply(*, actor, institution, rows: list[dict]) -> list[RowResult]:
    """Apply the good rows in one transaction, checked again now; the refused rows change nothing."""
    User = get_user_model()
    with transaction.atomic():
        # One import at a time per institution: two at once could both create the same staff number.
        type(institution).objects.select_for_update().filter(pk=institution.pk).first()
        plan = staff_import_plan(institution=institution, rows=rows)
        imported_role = Group.objects.get(name=IMPORTED_ROLE)
        for result in plan:
            values = result.values
            if result.action == "create":
                user = User(
                    username=values["username"] or _default_username(institution, values["staff_number"]),
                    email=values["email"],
                )
                user.set_unusable_password()
                policy_save(actor=actor, instance=user)
                profile = Profile(user=user, institution=institution, staff_number=values["staff_number"])
                for name in _PROFILE_FIELDS:
                    setattr(profile, name, values[name])
                policy_save(actor=actor, instance=profile)
                user.groups.add(imported_role)
            elif result.action == "update":
                profile = Profile.objects.select_related("user").get(
                    institution=institution, staff_number=values["staff_number"]
                )
                for name in result.changes:
                    setattr(profile, name, values[name])
                policy_save(actor=actor, instance=profile)
                if "email" in result.changes:
                    profile.user.email = values["email"]
                    policy_save(actor=actor, instance=profile.user)
    return plan
