"""What the exemption decision prints for its evidence: category and description, not the upload's file name,
with the category named in each rendering's own language."""

from tolerance.decisions.content import DecisionContent, Evidence, Ground
from tolerance.decisions.document import CHINESE, ENGLISH, _grounds
from tolerance.models import Attachment
from workflows.exemption.documents import _evidence_line


def _printed(evidence, rendering):
    content = DecisionContent(facts="", grounds=[Ground(condition="C1", finding="", evidence=[evidence])], reasoning="")
    return _grounds(content, rendering)[0]["evidence"][0]


def test_evidence_is_named_by_category_and_description_in_each_language():
    evidence = _evidence_line(Attachment(category="minutes", description="学院党政联席会议纪要", original_name="m.pdf"))
    assert evidence == Evidence(category="minutes", text="学院党政联席会议纪要")
    assert _printed(evidence, CHINESE) == "集体决策会议纪要：学院党政联席会议纪要"
    assert _printed(evidence, ENGLISH) == "Minutes of the collective decision: 学院党政联席会议纪要"


def test_the_file_name_is_only_the_fallback():
    evidence = _evidence_line(Attachment(category="", description="", original_name="minutes.pdf"))
    assert _printed(evidence, CHINESE) == _printed(evidence, ENGLISH) == "minutes.pdf"
