"""Bar charts drawn on the server as SVG: no script, no style attribute (the CSP stays strict); colours
come from the site's stylesheet through class names, and the numbers stand in a table beside each chart."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tolerance.statistics.registry import StatisticsTable

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 220
BAR_AREA = 300
VALUE_WIDTH = 70
MAX_BARS = 30


def _number(value) -> float:
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return 0.0


def bar_chart_svg(table: StatisticsTable) -> str:
    """A horizontal bar chart of the table's chart columns; "" when the table has nothing to draw."""
    if table.chart is None or not table.rows:
        return ""
    label_at, value_at = table.chart
    rows = [row for row in table.rows if row[value_at] is not None][:MAX_BARS]
    if not rows:
        return ""
    largest = max(_number(row[value_at]) for row in rows) or 1.0
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    bars = []
    for index, row in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(BAR_AREA * _number(row[value_at]) / largest, 1)
        bars.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                LABEL_WIDTH - 6,
                y + BAR_HEIGHT - 5,
                str(row[label_at])[:24],
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                row[label_at],
                row[value_at],
                LABEL_WIDTH + length + 4,
                y + BAR_HEIGHT - 5,
                row[value_at],
            )
        )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        table.title,
        width,
        height,
        width,
        height,
        mark_safe(format_html_join("", "{}", ((bar,) for bar in bars))),
    )
