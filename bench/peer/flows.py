from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from bench.peer.models import PeerProcess


class PeerFlow(flow.Flow):
    process_class = PeerProcess

    start = (
        flow.Start(
            CreateProcessView.as_view(fields=["title", "counterparty", "contract_amount", "failure_description"])
        )
        .Permission(auto_create=True)
        .Next(this.check_completeness)
    )
    check_completeness = (
        flow.View(UpdateProcessView.as_view(fields=["accepted"])).Permission(auto_create=True).Next(this.investigate)
    )
    investigate = flow.View(UpdateProcessView.as_view(fields=["findings"])).Permission(auto_create=True).Next(this.end)
    end = flow.End()
