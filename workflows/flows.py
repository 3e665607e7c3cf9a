"""Every flow of the project, imported here because viewflow's migrate hook imports `<app>.flows`."""

from workflows.exemption.flow import ExemptionFlow

FLOWS = [ExemptionFlow]

__all__ = ["FLOWS", "ExemptionFlow"]
