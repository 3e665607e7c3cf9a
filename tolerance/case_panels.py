"""Sections other apps add to the case page (timeline, decisions, workflow details).

An app registers a panel in its AppConfig.ready(); the case page renders every panel the viewer may
see, in order, so the core template never needs to know which apps exist.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class CasePanel:
    name: str
    template_name: str
    order: int
    # (request, case) -> extra template context, or None to hide the panel for this viewer.
    get_context: Callable


_panels: dict[str, CasePanel] = {}


def register_case_panel(*, name: str, template_name: str, order: int, get_context: Callable) -> None:
    _panels[name] = CasePanel(name=name, template_name=template_name, order=order, get_context=get_context)


def render_case_panels(request, case, *, only: tuple[str, ...] | None = None) -> list[str]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda panel: panel.order):
        if only is not None and panel.name not in only:
            continue
        context = panel.get_context(request, case)
        if context is None:
            continue
        rendered.append(render_to_string(panel.template_name, {"case": case, **context}, request=request))
    return rendered
