"""Every flow of the project, imported here because viewflow's migrate hook imports `<app>.flows`."""

from workflows.exemption import ExemptionFlow

__all__ = ["ExemptionFlow"]
