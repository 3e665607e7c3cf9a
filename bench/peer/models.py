from viewflow import jsonstore
from viewflow.workflow.models import Process


class PeerProcess(Process):
    """The filing's data kept in the process's JSON column, as Viewflow's own examples do."""

    title = jsonstore.CharField(max_length=200)
    counterparty = jsonstore.CharField(max_length=200)
    contract_amount = jsonstore.DecimalField(max_digits=14, decimal_places=2)
    failure_description = jsonstore.TextField()
    accepted = jsonstore.BooleanField(default=False)
    findings = jsonstore.TextField(blank=True)

    class Meta:
        proxy = True
