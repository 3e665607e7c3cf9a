"""What the demo's exemption cases must show (called by tests/composition/test_seed_demo.py, which seeds once):
a GUET case in every stage, every outcome decided, the register and the referrals."""

from django.utils import timezone

from tolerance.models import Case, CaseType
from workflows.exemption.application_models import SelfApplication
from workflows.exemption.models import ExemptionStage
from workflows.exemption.result_models import Referral, ResultApplication


def check_demo():
    stages = list(Case.objects.filter(institution__code="GUET").values_list("stage", flat=True))
    for stage in [
        ExemptionStage.COMPLETENESS_CHECK,
        ExemptionStage.SUPPLEMENT_REQUESTED,
        ExemptionStage.INVESTIGATION,
        ExemptionStage.COMMITTEE_REVIEW,
        ExemptionStage.PUBLICITY,
        ExemptionStage.APPEAL_REVIEW,
    ]:
        assert stage in stages
    decided = Case.objects.filter(case_type=CaseType.EXEMPTION, stage=ExemptionStage.APPEAL_WINDOW)
    outcomes = sorted(d.decisions.get(kind="exemption").outcome for d in decided)
    assert outcomes == ["exempt", "not_exempt", "per_subject", "per_subject", "reduced"]
    # One person of three has appealed their own determination; the window stays open for the others.
    appealed = decided.get(title="声表面波滤波器专利作价入股定价失当申请复核")
    assert [a.lodged_by.username for a in appealed.appeals.all()] == ["leader_guet"]
    three = decided.get(title="声表面波滤波器专利协议转让定价失当")
    rows = three.decisions.get(kind="exemption").content["subject_rows"]
    assert sorted(row["outcome"] for row in rows) == ["exempt", "not_exempt", "reduced"]
    # The register shows acknowledged and overdue rows, and every 不予免责 person's referral has its letter.
    assert ResultApplication.objects.filter(acknowledged_at__isnull=False).exists()
    assert ResultApplication.objects.filter(acknowledged_at__isnull=True, ack_due__lt=timezone.localdate()).exists()
    assert Referral.objects.exists() and not Referral.objects.filter(letter__isnull=True).exists()
    # Each GUET researcher is named in some cases only.
    zhang = set(Case.objects.filter(subject_links__user__username="researcher_zhang").values_list("pk", flat=True))
    li = set(Case.objects.filter(subject_links__user__username="researcher_li").values_list("pk", flat=True))
    assert zhang - li and li - zhang
    in_publicity = Case.objects.get(case_type=CaseType.EXEMPTION, stage=ExemptionStage.PUBLICITY)
    assert in_publicity.publicities.get().objections.count() == 1
    # X3: self-applications waiting, declined with a reason and adopted as a case; X1: on the adopted case
    # the departments asked, two answered and 审计处 awaited.
    assert sorted(SelfApplication.objects.values_list("status", flat=True)) == ["adopted", "declined", "waiting"]
    adopted = SelfApplication.objects.get(status="adopted").case
    assert adopted.exemption.trigger_source == "self" and adopted.stage == ExemptionStage.INVESTIGATION
    requests = {r.department: r for r in adopted.department_requests.all()}
    assert set(requests) == {"research", "finance", "audit"} and requests["audit"].answered_at is None
    assert requests["research"].answered_at is not None and requests["finance"].answered_at is not None
