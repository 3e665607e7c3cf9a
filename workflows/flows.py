"""Every flow of the project, imported here because viewflow's migrate hook imports `<app>.flows`."""

from workflows.exemption.flow import ExemptionFlow
from workflows.licensing.flow import LicensingFlow
from workflows.rectification.flow import RectificationFlow

FLOWS = [ExemptionFlow, RectificationFlow, LicensingFlow]

__all__ = ["FLOWS", "ExemptionFlow", "LicensingFlow", "RectificationFlow"]
