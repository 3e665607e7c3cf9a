"""Everything a decision document shows besides the decided content: taken from the case and its trail."""

import datetime
import json
import secrets
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from tolerance.attachment_categories import attachment_category_label
from tolerance.audit.selectors import case_trail
from tolerance.decisions.assets import asset_url
from tolerance.decisions.content import DecisionContent, Evidence, paragraphs
from tolerance.decisions.kinds import decision_kind_spec
from tolerance.decisions.seal import SEAL_SIZE_MM
from tolerance.selectors.policy import case_policy


@dataclass(frozen=True)
class Rendering:
    """One language version of a decision: its templates and the words the shared layout prints.

    The Chinese rendering is the official document; the English one is a courtesy rendering of the
    same decision (the case text is reproduced as recorded), sealed and verifiable in the same way.
    """

    language: str
    labels: dict
    list_separator: str
    staff_number: str
    months: tuple[str, ...] = ()

    def title(self, kind: str) -> str:
        """The official title: the Chinese documents are official whatever the reader's language."""
        return decision_kind_spec(kind).titles[self.language]

    def template(self, kind: str) -> str:
        return decision_kind_spec(kind).templates[self.language]

    def date(self, day: datetime.date) -> str:
        if not self.months:
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {self.months[day.month - 1]} {day.year}"


CHINESE = Rendering(
    language="zh-hans",
    labels={
        "lang": "zh-CN",
        "case_number": "案件编号",
        "case_title": "案件名称",
        "list_version": "适用清单",
        "facts": "一、经查明的事实",
        "n2": "二、",
        "reasoning": "三、认定理由",
        "decision": "四、决定",
        "n5": "五、",
        "number": "序号",
        "finding": "核查结论",
        "evidence": "所依据的证据",
        "entries": "援引容错清单条目：",
        "separator": "；",
        "full_stop": "。",
        "code": "验证码：",
        "url": "验证网址：",
        "audit_head": "案件审计链头：",
        "no_record": "（无记录）",
        "open": "（",
        "close": "）",
        "verdict_separator": "：",
        "category_separator": "：",
        "verdicts": {"met": "满足", "not_met": "不满足", "applies": "存在", "does_not_apply": "不存在"},
    },
    list_separator="、",
    staff_number="工号 {}",
)
ENGLISH = Rendering(
    language="en",
    labels={
        "lang": "en",
        "case_number": "Case number",
        "case_title": "Case",
        "list_version": "Tolerance list",
        "facts": "1. Facts found",
        "n2": "2. ",
        "reasoning": "3. Reasoning",
        "decision": "4. Decision",
        "n5": "5. ",
        "number": "No.",
        "finding": "Finding",
        "evidence": "Evidence relied on",
        "entries": "Tolerance list entries cited: ",
        "separator": "; ",
        "full_stop": ".",
        "code": "Verification code: ",
        "url": "Verify at: ",
        "audit_head": "Case audit chain head: ",
        "no_record": "(no record)",
        "open": " (",
        "close": ")",
        "verdict_separator": ": ",
        "category_separator": ": ",
        "verdicts": {"met": "Met", "not_met": "Not met", "applies": "Applies", "does_not_apply": "Does not apply"},
    },
    list_separator=", ",
    staff_number="staff no. {}",
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
)
RENDERINGS = (CHINESE, ENGLISH)
TRAIL_FILE_NAME = "audit-trail.json"
# What may already end a sentence typed by people or produced by a translated string.
_SENTENCE_END = "。．.！!？?；;，,、：:"
# No 0/O, 1/I/L: the code is read aloud and typed from paper.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 10


def verification_code_new() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def verification_code_normalise(text: str) -> str:
    """Accept what people type: lower case, spaces, missing or extra hyphens."""
    raw = "".join(char for char in (text or "").upper() if char.isalnum())
    if len(raw) != _CODE_LENGTH or any(char not in _CODE_ALPHABET for char in raw):
        return ""
    return f"{raw[:5]}-{raw[5:]}"


def verification_url(code: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("decisions_public:verify_code", args=[code])


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    element = image.get_image()
    element.set("width", "100%")
    element.set("height", "100%")
    return mark_safe(ElementTree.tostring(element, encoding="unicode"))  # noqa: S308 - generated by qrcode, no user text


def trail_excerpt(case) -> bytes:
    """The case's audit trail as embedded in the PDF: enough to recompute every hash in the chain."""
    events = [
        {
            "sequence": event.sequence,
            "case_sequence": event.case_sequence,
            "action": event.action,
            "time": event.occurred_at.isoformat(),
            "actor": event.actor_username,
            "previous_hash": event.previous_hash,
            "case_previous_hash": event.case_previous_hash,
            "hash_algorithm": event.hash_algorithm,
            "event_hash": event.event_hash,
            "canonical": bytes(event.canonical).decode(),
        }
        for event in case_trail(case)
    ]
    return json.dumps(
        {"case_number": case.number, "events": events}, ensure_ascii=False, indent=1, sort_keys=True
    ).encode()


def _joined(items: list[str], rendering: Rendering) -> str:
    return rendering.labels["separator"].join(item.strip().rstrip(_SENTENCE_END) for item in items)


def _sentence(text: str, rendering: Rendering) -> str:
    """Text ending in exactly one full stop of the rendering, whatever punctuation it arrived with."""
    text = text.strip().rstrip(_SENTENCE_END).rstrip()
    return text + rendering.labels["full_stop"] if text else ""


def _evidence_text(item, rendering: Rendering) -> str:
    """The category in the rendering's language, then what the uploader said the file is."""
    if not isinstance(item, Evidence):
        return item
    if not item.category:
        return item.text
    with translation.override(rendering.language):
        category = str(attachment_category_label(item.category))
    return category + rendering.labels["category_separator"] + item.text


def _grounds(content: DecisionContent, rendering: Rendering) -> list[dict]:
    labels = rendering.labels
    rows = []
    for ground in content.grounds:
        finding = ground.finding.strip()
        verdict = labels["verdicts"].get(ground.verdict, "")
        if verdict and finding:
            finding = verdict + labels["verdict_separator"] + finding
        rows.append(
            {
                "condition": ground.condition,
                "finding": finding or verdict,
                "evidence": [_evidence_text(item, rendering) for item in ground.evidence],
            }
        )
    return rows


def _subjects(case, rendering: Rendering) -> list[dict]:
    rows = []
    for link in case.subject_links.select_related("user__profile").order_by("id"):
        profile = getattr(link.user, "profile", None)
        name = (profile.real_name if profile else "") or link.user.get_username()
        details = [
            value
            for value in (
                (profile.department or profile.organisation) if profile else "",
                rendering.staff_number.format(profile.staff_number) if profile and profile.staff_number else "",
                link.role_in_case,
            )
            if value
        ]
        rows.append({"name": name, "details": rendering.list_separator.join(details)})
    return rows


def template_context(
    *,
    case,
    kind: str,
    outcome: str,
    content: DecisionContent,
    document_number: str,
    verification_code: str,
    issue_date: datetime.date,
    appeal_deadline: datetime.date,
    audit_head: tuple[int, str] | None,
    rendering: Rendering = CHINESE,
) -> dict:
    subjects = _subjects(case, rendering)
    supersedes = content.supersedes
    institution = case.institution
    english = rendering is ENGLISH
    return {
        "assets": {"fonts": asset_url("fonts.css"), "css": asset_url("decision.css")},
        "labels": rendering.labels,
        "title": rendering.title(kind),
        "kind": kind,
        "outcome": outcome,
        "institution": institution,
        "institution_name": (institution.name_en or institution.name_zh) if english else institution.name_zh,
        "case": case,
        "subjects": subjects,
        "subjects_names": rendering.list_separator.join(subject["name"] for subject in subjects),
        "content": content,
        "grounds": _grounds(content, rendering),
        "committee_resolution": _sentence(content.committee_resolution, rendering),
        "tolerance_entries": _sentence(_joined(content.tolerance_entries, rendering), rendering),
        "facts": paragraphs(content.facts),
        "reasoning": paragraphs(content.reasoning),
        "document_number": document_number,
        "issue_date_text": rendering.date(issue_date),
        "appeal_deadline_text": rendering.date(appeal_deadline),
        "appeal_working_days": case_policy(case).appeal_working_days,
        "verification_code": verification_code,
        "verification_url": verification_url(verification_code),
        "qr_svg": qr_svg(verification_url(verification_code)),
        "audit_head": audit_head,
        "seal_size_mm": SEAL_SIZE_MM,
        "supersedes": {
            "document_number": supersedes.document_number,
            "issue_date_text": rendering.date(supersedes.issue_date),
        }
        if supersedes is not None
        else None,
    }
