"""Decision documents: median render, render+seal and full issue time for a two-page decision.

Usage (a scratch SQLite database and PKI in a temporary directory; nothing else is touched):

    .venv/bin/python bench/decisions_render.py

Compares with a bare WeasyPrint render of the same HTML through the same asset fetcher (no PDF/A, no
embedded trail, no layout inspection), warm, median of 15 runs after 3 warm-up runs, and writes its
section of docs/benchmarks.md. Target: render+seal under 0.4 s warm.
"""

import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = pathlib.Path(tempfile.mkdtemp(prefix="decisions-bench-"))
os.environ["TOLERANCE_VAR_DIR"] = str(SCRATCH)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolerance.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from tests.decisions import samples  # noqa: E402
from tolerance import demo  # noqa: E402
from tolerance.decisions import document  # noqa: E402
from tolerance.decisions.assets import ASSET_BASE_URL, AssetFetcher  # noqa: E402
from tolerance.decisions.pades import PadesSealer  # noqa: E402
from tolerance.decisions.rendering import EmbeddedFile, render_document  # noqa: E402
from tolerance.decisions.sealing import SealRequest  # noqa: E402
from tolerance.decisions.services import decision_issue  # noqa: E402
from tolerance.models import CaseType  # noqa: E402
from tolerance.services.cases import SubjectSpec, case_file  # noqa: E402
from workflows.exemption.demo import seed_case_type_policies  # noqa: E402

WARMUP = 3
RUNS = 15
SECTION_TITLE = "## Decision rendering and sealing (tolerance.decisions)"
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15"
# The sample exemption cut to two grounds lays out on exactly two pages (three, with their verdicts, take three).
CONTENT = samples.exemption_content(grounds=samples.EXEMPTION_GROUNDS[:2], tolerance_entries=[])


def median_seconds(function) -> tuple[float, float]:
    """Median wall time and median CPU time of this process: on a busy machine the two differ."""
    for _ in range(WARMUP):
        function()
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main():
    call_command("migrate", verbosity=0)
    call_command("init_pki", verbosity=0)
    institutions = demo.seed_institutions()
    seed_case_type_policies(institutions)
    users = demo.seed_users(institutions)
    case = case_file(
        institution=institutions["GUET"],
        case_type=CaseType.EXEMPTION,
        title="无线传感节点专利许可转化失败容错免责认定",
        filed_by=users["officer_guet"],
        subjects=[SubjectSpec(users["researcher_zhang"], "项目负责人")],
    )
    today = timezone.localdate()
    context = document.template_context(
        case=case,
        kind="exemption",
        outcome="exempt",
        content=CONTENT,
        document_number="桂电容认〔2026〕7号",
        verification_code="ABCDE-FGH23",
        issue_date=today,
        appeal_deadline=today,
        audit_head=(1, "0" * 64),
    )
    html = render_to_string(document.CHINESE.template("exemption"), context)
    trail = [EmbeddedFile(name="audit-trail.json", data=document.trail_excerpt(case), description="trail")]
    sealer = PadesSealer()

    def bare():
        return HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=AssetFetcher()).write_pdf(
            font_config=FontConfiguration()
        )

    def render():
        return render_document(html, embedded=trail)

    def render_and_seal(tsa=""):
        settings.TSA_URL = tsa
        rendered = render_document(html, embedded=trail)
        return sealer.seal(
            rendered.pdf,
            SealRequest(
                institution=case.institution, page_index=rendered.seal_page, box=rendered.seal_box, reason="bench"
            ),
        )

    def issue():
        settings.TSA_URL = ""
        return decision_issue(
            case=case, kind="exemption", outcome="exempt", content=CONTENT, issued_by=users["officer_guet"]
        )

    rendered = render()
    assert rendered.page_count == 2, rendered.page_count
    sealed = render_and_seal()
    sealed_lta = render_and_seal("local")
    rows = {
        "bare WeasyPrint render (same HTML, same fetcher)": median_seconds(bare),
        "render: PDF/A-3b + embedded trail + seal anchor": median_seconds(render),
        "render + seal, PAdES-B-B": median_seconds(render_and_seal),
        "render + seal, PAdES-B-LTA (local test TSA)": median_seconds(lambda: render_and_seal("local")),
        "verify (pyHanko, B-B)": median_seconds(lambda: sealer.verify(sealed)),
        "decision_issue end to end (B-B; Chinese and English renderings each rendered, sealed and "
        "self-verified; stored; 3 audit events)": median_seconds(issue),
    }
    base, base_cpu = rows["bare WeasyPrint render (same HTML, same fetcher)"]
    target_wall, target_cpu = rows["render + seal, PAdES-B-B"]
    lines = [
        SECTION_TITLE,
        "",
        f"`bench/decisions_render.py`, {MACHINE} (SQLite scratch database for the issue row). A two-page",
        "exemption decision from the sample content in tests/decisions/samples.py; warm, median of "
        f"{RUNS} runs after {WARMUP} warm-up runs. Load average when measured: {os.getloadavg()[0]:.1f}; other",
        "work on the machine inflates wall time, while CPU time counts this process only.",
        "",
        "| step | median wall ms | ratio to bare render | median CPU ms | CPU ratio |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {name} | {wall * 1000:.0f} | {wall / base:.2f} | {cpu * 1000:.0f} | {cpu / base_cpu:.2f} |"
            for name, (wall, cpu) in rows.items()
        ],
        "",
        f"File sizes: unsigned {len(rendered.pdf) // 1024} KB, sealed B-B {len(sealed) // 1024} KB, "
        f"sealed B-LTA {len(sealed_lta) // 1024} KB (fonts subset and embedded).",
        f"Target render + seal < 400 ms warm: {'met' if target_wall < 0.4 else 'NOT met'} in wall time, "
        f"{'met' if target_cpu < 0.4 else 'NOT met'} in CPU time.",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION_TITLE in text:
        start = text.index(SECTION_TITLE)
        end = text.find("\n## ", start + len(SECTION_TITLE))
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


if __name__ == "__main__":
    main()
