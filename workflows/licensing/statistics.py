"""What 先使用后付费 adds to the statistics and the annual report: licences by kind, free-use periods
running, triggers reached, and the amounts due, received and overdue (Decimal yuan)."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.utils.translation import gettext as _

from tolerance.models import CaseType
from tolerance.statistics.figures import grouped
from tolerance.statistics.registry import CaseStatistics, StatisticsTable, register_case_statistics
from workflows.licensing.ledger import DueStatus, PaymentDue, Receipt, TriggerEvent, TriggerKind
from workflows.licensing.models import LicenceGrant, LicenceType, LicensingDetails, LicensingStage

ZERO = Decimal("0.00")


def _yuan(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def _counted_receipts(up_to: datetime.date):
    """Receipts as finance's books stand on `up_to`: a corrected receipt counts no more once corrected."""
    return Receipt.objects.filter(received_on__lte=up_to).exclude(corrected_by__received_on__lte=up_to)


def _money_table(due, received, overdue, *, up_to: datetime.date, support: int) -> StatisticsTable:
    return StatisticsTable(
        key="licensing_money",
        title=_("Licence payments (yuan)"),
        columns=[_("Amount"), _("Yuan")],
        rows=[
            [_("amount due"), _yuan(due)],
            [_("amount received"), _yuan(received)],
            [_("overdue on %(date)s") % {"date": up_to.isoformat()}, _yuan(overdue)],
        ],
        support=support,
    )


def _counted(up_to: datetime.date) -> Q:
    """Of an instalment's receipts, those counted on `up_to` (received, and not corrected by then)."""
    return Q(receipts__received_on__lte=up_to) & ~Q(receipts__corrected_by__received_on__lte=up_to)


def _arrears():
    """Per instalment: what fell due less what was received for it, never below zero (an overpaid
    instalment does not offset another's arrears)."""
    return Greatest(F("amount") - Coalesce(F("paid"), Value(ZERO)), Value(ZERO))


def _money(cases, *, due_from: datetime.date | None, up_to: datetime.date) -> StatisticsTable:
    """Due (instalments falling due in the period), received (in the period) and overdue on `up_to`."""
    dues = PaymentDue.objects.filter(case__in=cases).exclude(status=DueStatus.WAIVED)
    in_period = dues.filter(due_on__lte=up_to, **({"due_on__gte": due_from} if due_from else {}))
    due = in_period.aggregate(total=Sum("amount"))["total"]
    receipts = _counted_receipts(up_to).filter(due__case__in=cases)
    if due_from:
        receipts = receipts.filter(received_on__gte=due_from)
    received = receipts.aggregate(total=Sum("amount"))["total"]
    # The grouped query summed by the database (Django wraps it in a subquery), no row per instalment
    # fetched into Python.
    overdue = (
        dues.filter(due_on__lt=up_to)
        .annotate(paid=Sum("receipts__amount", filter=_counted(up_to)))
        .order_by()
        .aggregate(total=Sum(_arrears()))["total"]
    )
    return _money_table(due, received, overdue, up_to=up_to, support=cases.count())


def _triggers_table(counts: dict) -> StatisticsTable:
    return StatisticsTable(
        key="licensing_triggers",
        title=_("Payment triggers reached"),
        columns=[_("Trigger"), _("Licences")],
        rows=[[str(label), counts.get(value, 0)] for value, label in TriggerKind.choices],
        counts=(1,),
    )


def _triggers(cases, **dated) -> StatisticsTable:
    counts = dict(
        TriggerEvent.objects.filter(case__in=cases, **dated)
        .values_list("kind")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return _triggers_table(counts)


def cells(cases, today: datetime.date) -> list[dict]:
    """The page's figures as of `today`: licences by kind, triggers reached (licences, each counted in
    its one case's row), yuan due and received by the year they fell due / came in, and the arrears."""
    dues = PaymentDue.objects.filter(case__in=cases).exclude(status=DueStatus.WAIVED)
    # The arrears per instalment first (a subquery per instalment of its counted receipts), then summed
    # per institution and year: an aggregate over an aggregate needs the inner one as a subquery.
    paid = (
        Receipt.objects.filter(due=OuterRef("pk"), received_on__lte=today)
        .exclude(corrected_by__received_on__lte=today)
        .order_by()
        .values("due")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    arrears = dues.filter(due_on__lt=today).annotate(paid=Subquery(paid))
    return [
        *grouped(LicensingDetails.objects.filter(case__in=cases), "licence_kind", key="licence_type"),
        *grouped(
            TriggerEvent.objects.filter(case__in=cases), "trigger", key="kind", count=Count("case_id", distinct=True)
        ),
        *grouped(dues.filter(due_on__lte=today), "due", number=ExtractYear("due_on"), amount=Sum("amount")),
        *grouped(
            _counted_receipts(today).filter(due__case__in=cases),
            "received",
            case_path="due__case__",
            number=ExtractYear("received_on"),
            amount=Sum("amount"),
        ),
        *grouped(arrears, "arrears", amount=Sum(_arrears())),
    ]


def page(figures, period) -> list[StatisticsTable]:
    kinds = figures.counts("licence_kind", "key")
    triggers = figures.counts("trigger", "key")
    since = (lambda row: row.number >= period.year_from) if period.year_from else None
    return [
        StatisticsTable(
            key="licensing_kinds",
            title=_("Licences by kind"),
            columns=[_("Licence type"), _("Cases")],
            rows=[[str(label), kinds.get(value, 0)] for value, label in LicenceType.choices],
            counts=(1,),
        ),
        StatisticsTable(
            key="licensing_free_use",
            title=_("Free-use periods running"),
            columns=[_("Stage"), _("Licences")],
            rows=[
                [
                    str(LicensingStage.FREE_USE.label),
                    figures.count("cases", where=lambda row: row.key == LicensingStage.FREE_USE),
                ]
            ],
            chart=None,
            counts=(1,),
        ),
        _triggers_table(triggers),
        _money_table(
            figures.amount("due", where=since),
            figures.amount("received", where=since),
            figures.amount("arrears"),
            up_to=period.today,
            support=figures.count("cases"),
        ),
    ]


def annual(cases, year) -> list[StatisticsTable]:
    """Item ③ of the annual conversion report for licences: count and contract value of the licences
    granted in the year (all of them 先使用后付费), the income received, due and overdue at year end."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    granted = LicenceGrant.objects.filter(case__in=cases, start_on__gte=first, start_on__lte=last)
    granted_cases = granted.values("case_id").distinct()
    value = LicensingDetails.objects.filter(case_id__in=granted_cases).aggregate(total=Sum("fee_total"))["total"]
    results = LicenceGrant.objects.filter(case__in=cases, start_on__lte=last).values("result_id").distinct().count()
    return [
        StatisticsTable(
            key="licensing_granted",
            title=_("Pay-after-use licences granted in the year"),
            columns=[_("Figure"), _("Value")],
            rows=[
                [_("licences granted"), granted_cases.count()],
                [_("contract value (yuan)"), _yuan(value)],
                [_("results licensed up to the year end"), results],
            ],
            chart=None,
            counts=(1,),
            support=granted_cases.count(),
        ),
        _triggers(cases, occurred_on__gte=first, occurred_on__lte=last),
        _money(cases, due_from=first, up_to=last),
    ]


def register() -> None:
    register_case_statistics(CaseStatistics(case_type=CaseType.PAY_AFTER_USE, cells=cells, page=page, annual=annual))
