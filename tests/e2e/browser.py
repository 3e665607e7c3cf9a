"""What every journey checks on every page it shows, and the guide's pictures.

`Journey.look(page, "name")` is called once a page a user is meant to read has loaded: it checks that every
form control has an accessible name, that the text meets WCAG AA contrast, and at phone width that nothing
needs sideways scrolling; with GUIDE_IMAGES=1 (`make guide-images`) it also writes the page's picture to
docs/screenshots/<name>.png. Console errors and CSP violations are collected from the moment the page is
opened and asserted empty at the end of the test (`Journey.assert_clean`).
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tolerance import demo

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 760}
# A minimal well-formed PDF, as the demo's evidence files.
SAMPLE_PDF = {
    "name": "证明材料.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n",
}
DESKTOP = {"width": 1280, "height": 860}


def by_code(step, *args):
    """Run `step(*args)` (the code driver doing a stage another role does) in a thread of its own and return
    its result: Playwright's event loop runs in the test's thread, and sealing a decision (pyHanko) starts an
    event loop of its own, which asyncio refuses inside a running one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_in_thread, step, *args).result()


def _in_thread(step, *args):
    from django.db import connections

    try:
        return step(*args)
    finally:
        connections.close_all()


def choose(page, label, option, *, exact_label=True, exact=True):
    """Pick `option` in one of viewflow's drop-downs (a button named by the field's label that opens a list
    box)."""
    page.get_by_role("button", name=label, exact=exact_label).first.click()
    page.get_by_role("option", name=option, exact=exact).first.click()


def assert_sealed_download(page, document_number):
    """The decision's link (its document number) downloads a PDF that carries a signature."""
    with page.expect_download() as download:
        page.get_by_role("link", name=document_number, exact=True).first.click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf, "the decision is not a signed PDF"


# Report CSP violations to the test: the binding and the listener are injected by the browser itself, so the
# page's own policy (no inline script) does not stop them.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__tolCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.documentURI}`);
});
"""

# WCAG 2.x contrast of every visible text node against the background it is painted on (the first opaque
# background up the tree, translucent ones blended over it). Large text (24 px, or 18.66 px bold) needs
# 3:1, other text 4.5:1; disabled controls and icon ligatures are exempt, as WCAG exempts them.
_CONTRAST = r"""
() => {
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const blend = (top, bottom) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; } }
    let colour = [255, 255, 255, 1]; for (let i = layers.length - 1; i >= 0; i--) colour = blend(layers[i], colour); return colour; };
  const failures = []; const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement; if (!el || seen.has(el) || !node.textContent.trim()) continue; seen.add(el);
    if (el.closest('.material-icons, [aria-hidden=true], [disabled], .mdc-text-field--disabled, option, script, style, noscript')) continue;
    const style = getComputedStyle(el); const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width === 0 || box.height === 0 || el.checkVisibility && !el.checkVisibility({opacityProperty: true})) continue;
    let opacity = 1; for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    if (opacity < 0.1) continue;
    const bg = background(el); const fg = blend([...parse(style.color).slice(0, 3), parse(style.color)[3] * opacity], bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a); const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize); const bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio + 0.005 < needed) failures.push(`${ratio.toFixed(2)}:1 < ${needed}:1 "${node.textContent.trim().slice(0, 40)}" (${style.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
  }
  return failures;
}
"""

# [scroll width, window width] of the page, measured with the site's top bar (the first banner) hidden or not.
_WIDTHS = """
(hideTopBar) => {
  // The banner: a header outside any sectioning element (the drawer has a header of its own).
  const bar = [...document.querySelectorAll('header, [role=banner]')].find(
    (e) => e.getAttribute('role') === 'banner' || !e.parentElement.closest('aside, nav, article, section, main'));
  const before = bar ? bar.style.display : '';
  if (hideTopBar && bar) bar.style.display = 'none';
  const widths = [document.scrollingElement.scrollWidth, window.innerWidth];
  if (bar) bar.style.display = before;
  return widths;
}
"""

# A form control in the accessibility tree without a name: `- textbox` where a labelled one is `- textbox "…"`.
_UNNAMED_CONTROL = re.compile(
    r"^\s*- (textbox|checkbox|radio|combobox|spinbutton|searchbox|slider|switch|listbox)\b(?! \")"
)


@dataclass
class Journey:
    """One test's browser page and what it has seen; `phone` journeys run 360 px wide."""

    page: object
    base_url: str
    phone: bool = False
    problems: list = field(default_factory=list)
    top_bar_overflow: list = field(default_factory=list)

    def __post_init__(self):
        self.page.set_viewport_size(PHONE if self.phone else DESKTOP)
        self.page.context.expose_binding("__tolCsp", lambda _source, text: self.problems.append(f"CSP: {text}"))
        self.page.context.add_init_script(_CSP_LISTENER)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._problem(f"page error: {error}"))

    def _console(self, message):
        if message.type == "error":
            self._problem(f"console error at {self.page.url}: {message.text}")

    def _problem(self, text):
        self.problems.append(text)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str):
        self.page.goto(self.url(path))
        return self.page

    def login(self, username: str):
        """Log in on the login page by the fields' labels; ends on the home page."""
        page = self.page
        page.context.clear_cookies()
        page.goto(self.url("/accounts/login/"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(demo.demo_password())
        with page.expect_navigation():
            page.get_by_role("button", name="登录", exact=True).click()
        return page

    def look(self, name: str | None = None):
        """The checks of a page a user reads (see the module docstring); `name` is its picture in the guide."""
        page = self.page
        page.wait_for_load_state("load")
        where = page.url
        unnamed = [
            line.strip() for line in page.locator("body").aria_snapshot().splitlines() if _UNNAMED_CONTROL.match(line)
        ]
        assert not unnamed, f"form controls without a label at {where}: {unnamed}"
        low = page.evaluate(_CONTRAST)
        assert not low, f"text below WCAG AA contrast at {where}: {low}"
        if self.phone:
            self._check_width(where)
        if name and os.environ.get("GUIDE_IMAGES") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            suffix = "-phone" if self.phone else ""
            page.screenshot(path=SCREENSHOTS / f"{name}{suffix}.png", full_page=True, animations="disabled")
        return page

    def open_task(self, case, task: str, *, from_case_page: bool = True):
        """The user's open task named `task` from the case page (or from the page shown), claimed first when
        it waits in a queue: ends on the task's form."""
        page = self.goto(f"/cases/{case.pk}/") if from_case_page else self.page
        with page.expect_navigation():
            page.get_by_role("link", name=task, exact=True).first.click()
        claim = page.get_by_role("button", name="认领并继续")
        if claim.count():
            with page.expect_navigation():
                claim.click()
        assert case.number in page.inner_text("main")
        return page

    def submit(self):
        """Submit the task's form (its 提交 button) and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="提交", exact=True).click()
        return self.page

    def assert_stage(self, stage: str, next_step: str | None = None):
        """The case page names the case's stage (当前阶段) and, when given, what happens next (下一步)."""
        shown = dict(re.findall(r"^(当前阶段|下一步)\n(.+)$", self.page.inner_text("main"), re.MULTILINE))
        assert shown.get("当前阶段") == stage, f"the case page shows the stage {shown.get('当前阶段')}, not {stage}"
        if next_step:
            assert shown.get("下一步") == next_step, f"the case page says next: {shown.get('下一步')}, not {next_step}"

    def _check_width(self, where):
        scroll, inner = self.page.evaluate(_WIDTHS, False)
        if scroll <= inner:
            return
        # The site's top bar is too wide at 360 px, and its fix is on its way from another branch: an overflow
        # that goes away without the top bar makes the test an expected failure (see assert_clean), any
        # other overflow fails it here.
        without_top_bar, _ = self.page.evaluate(_WIDTHS, True)
        assert without_top_bar <= inner, f"{where} needs sideways scrolling at {inner} px: {without_top_bar} px wide"
        self.top_bar_overflow.append(f"{where}: {scroll} px")

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)
        if self.top_bar_overflow:
            pytest.xfail(f"only the top bar is wider than {PHONE['width']} px: {self.top_bar_overflow}")
