"""What the exemption decision prints for its evidence: category and description, not the upload's file name."""

from django.utils import translation

from tolerance.models import Attachment
from workflows.exemption.documents import _evidence_line


def test_evidence_is_named_by_category_and_description():
    with translation.override("zh-hans"):
        line = _evidence_line(Attachment(category="minutes", description="学院党政联席会议纪要", original_name="m.pdf"))
    assert line == "集体决策会议纪要：学院党政联席会议纪要"
    assert "m.pdf" not in line


def test_the_file_name_is_only_the_fallback():
    assert _evidence_line(Attachment(category="", description="", original_name="minutes.pdf")) == "minutes.pdf"
