"""What the demo's rectification cases must show (called by tests/composition/test_seed_demo.py, which seeds
once): GUET and GXNU in every stage and outcome, the register near expiry and an overstay that opened a case."""

from tolerance.models import Case, CaseType
from tolerance.notifications.models import Notification
from workflows.rectification.models import (
    GapStatement,
    ItemVerifier,
    Origin,
    PlanCommitment,
    RectificationStage,
    StatementKind,
)
from workflows.rectification.register import RegisterEntry, RegisterStatus
from workflows.steps.referrals import Referral


def check_demo():
    cases = Case.objects.filter(case_type=CaseType.RECTIFICATION)
    for code in ("GUET", "GXNU"):
        stages = set(cases.filter(institution__code=code).values_list("stage", flat=True))
        assert {
            RectificationStage.VERIFICATION,
            RectificationStage.RECTIFYING,
            RectificationStage.APPEAL_WINDOW,
        } <= stages
    guet = set(cases.filter(institution__code="GUET").values_list("stage", flat=True))
    assert {
        RectificationStage.ACCEPTANCE,
        RectificationStage.NOT_ACCEPTED,
        RectificationStage.GAP_CONFIRMATION,
        RectificationStage.COMMITTEE_REVIEW,
        RectificationStage.APPEAL_REVIEW,
        RectificationStage.SUPPLEMENT,
        RectificationStage.SUSPENDED,
        RectificationStage.TERMINATED,
        RectificationStage.STATEMENT,
        RectificationStage.STATEMENT_ANSWER,
    } <= guet
    # Statements: confirmed before the plan, one contested and awaiting the office's answer; the plans
    # under way or done are signed, each commitment a sealed document.
    statements = GapStatement.objects.filter(case__in=cases)
    assert {StatementKind.CONFIRMED, StatementKind.CONTESTED} <= set(statements.values_list("kind", flat=True))
    assert PlanCommitment.objects.filter(case__in=cases, letter__kind="rectification_commitment").exists()
    # Default other verifiers from the catalogue: a G09 item is verified by 资产处 and 财务处.
    assert ItemVerifier.objects.filter(item__gap__code="G09", department="finance").exists()
    assert RectificationStage.SUPPLEMENT in set(cases.filter(institution__code="GXNU").values_list("stage", flat=True))
    referrals = Referral.objects.filter(case__in=cases, case__institution__code="GUET")
    assert referrals.filter(received_at__isnull=False).exists() and referrals.filter(received_at__isnull=True).exists()
    for code in ("GUET", "GXNU"):
        outcomes = set(
            cases.filter(institution__code=code, decisions__kind="rectification").values_list(
                "decisions__outcome", flat=True
            )
        )
        assert outcomes == {"passed", "failed"}
    assert cases.filter(rectification__negative_hits__code="N3").exists()
    overstay = cases.get(rectification__origin=Origin.REGISTER_OVERSTAY)
    assert overstay.rectification.register_entry.status == RegisterStatus.OVERSTAYED
    assert RegisterEntry.objects.filter(status=RegisterStatus.ACTIVE).count() == 3
    assert Notification.objects.filter(kind="rectification_register_expiry").exists()
