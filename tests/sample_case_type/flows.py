"""Viewflow's migrate hook imports `<app>.flows` so that the flow's task permissions exist."""

from tests.sample_case_type.flow import SampleFlow

__all__ = ["SampleFlow"]
