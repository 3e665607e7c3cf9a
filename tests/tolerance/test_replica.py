"""The read replica (DATABASE_REPLICA_URL): lists, statistics and exports read from it; writes, and reads
inside a write transaction, stay on the primary. Here the replica is a second connection to the test database."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from tolerance import db_routing
from tolerance.db_routing import REPLICA, ReplicaRouter, replica_reads
from tolerance.models import Case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def replica(on_postgresql, monkeypatch):
    """What DATABASE_REPLICA_URL configures, made at run time: a connection of its own under the alias."""
    primary = connections["default"]
    connection = primary.__class__({**primary.settings_dict}, alias=REPLICA)
    connections[REPLICA] = connection
    monkeypatch.setattr(db_routing, "replica_configured", lambda: True)
    yield connection
    connection.close()
    del connections[REPLICA]


def _queries(alias, action):
    with CaptureQueriesContext(connections[alias]) as captured:
        result = action()
    return len(captured), result


def test_the_router_sends_marked_reads_to_the_replica_and_everything_else_to_the_primary(replica, file_case):
    router = ReplicaRouter()
    assert router.db_for_read(Case) == "default"
    with replica_reads():
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_write(Case) == "default"
        with transaction.atomic():
            assert router.db_for_read(Case) == "default"
        case = file_case()
        assert case._state.db == "default"
        count, number = _queries(REPLICA, lambda: Case.objects.get(pk=case.pk).number)
        assert count == 1 and number == case.number
    assert not router.allow_migrate(REPLICA, "tolerance") and router.allow_migrate("default", "tolerance")


def test_the_case_list_export_and_statistics_read_from_the_replica(replica, file_case, client_for):
    case = file_case()
    officer = client_for("officer_guet")

    replica_reads_of_list, page = _queries(REPLICA, lambda: officer.get("/cases/"))
    assert page.status_code == 200 and case.number in page.content.decode()
    assert replica_reads_of_list > 0

    export_reads, export = _queries(REPLICA, lambda: officer.get("/cases/export/csv/"))
    assert export.status_code == 200 and case.number in export.content.decode("utf-8-sig")
    assert export_reads > 0

    supervisor_reads, home = _queries(REPLICA, lambda: client_for("supervisor_city").get("/"))
    assert home.status_code == 200 and supervisor_reads > 0

    # A case page (what a user sees right after acting) reads the primary only.
    detail_reads, detail = _queries(REPLICA, lambda: officer.get(f"/cases/{case.pk}/"))
    assert detail.status_code == 200 and detail_reads == 0
