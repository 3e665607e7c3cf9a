"""Every flow of the project, imported here because viewflow's migrate hook imports `<app>.flows`."""

from workflows.exemption.flow import ExemptionFlow
from workflows.rectification.flow import RectificationFlow

FLOWS = [ExemptionFlow, RectificationFlow]

__all__ = ["FLOWS", "ExemptionFlow", "RectificationFlow"]
