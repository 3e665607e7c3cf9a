"""Two app servers on one PostgreSQL and one S3-compatible store: what one stores the other serves,
and a scheduled job run by both schedulers runs once."""

import pytest
import requests
from django.conf import settings

from tests.deployment.servers import AppServer, server_environment
from tests.factories import PDF_BYTES
from tests.object_store import bucket_keys, bucket_make
from tolerance.audit.models import AuditCheckpoint
from tolerance.models import Attachment, ScheduledJobRun

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def servers(on_postgresql, tmp_path, s3_endpoint):
    bucket = bucket_make(s3_endpoint)
    pair = [
        AppServer(name, tmp_path / name, server_environment(tmp_path / name, endpoint=s3_endpoint, bucket=bucket))
        for name in ("app1", "app2")
    ]
    try:
        for server in pair:
            server.start()
        for server in pair:
            server.wait_ready()
        yield pair, bucket
    finally:
        for server in pair:
            server.stop()


def _browser(client, server: AppServer) -> requests.Session:
    """A browser signed in as the test client's user (the session lives in the shared database)."""
    browser = requests.Session()
    browser.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return browser


def test_a_file_uploaded_through_one_server_downloads_through_the_other_and_a_job_runs_once(
    servers, file_case, client_for, s3_endpoint
):
    (first, second), bucket = servers
    case = file_case()
    officer = _browser(client_for("officer_guet"), first)
    case_page = officer.get(f"{first.url}/cases/{case.pk}/", timeout=20)
    assert case_page.status_code == 200

    uploaded = officer.post(
        f"{first.url}/cases/{case.pk}/attachments/",
        files={"file": ("转让合同.pdf", PDF_BYTES, "application/pdf")},
        data={"category": "contract"},
        headers={"X-CSRFToken": officer.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=20,
    )
    assert uploaded.status_code == 302, uploaded.text[:500]
    attachment = Attachment.objects.get(case=case)

    researcher = _browser(client_for("researcher_zhang"), second)
    download = researcher.get(f"{second.url}/cases/{case.pk}/attachments/{attachment.pk}/", timeout=20)
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert f"site/{attachment.storage_name}" in bucket_keys(s3_endpoint, bucket)
    # Neither server kept the file (or anything else of the case) on its own disk.
    assert not any(path.is_file() for server in servers[0] for path in (server.var_dir / "media").rglob("*"))

    schedulers = [server.manage("run_scheduler", "--once") for server in (first, second)]
    outputs = [scheduler.communicate(timeout=60)[0].decode() for scheduler in schedulers]
    assert all(scheduler.returncode == 0 for scheduler in schedulers), outputs

    # Every job both schedulers know ran once (this process may have registered test-only jobs besides).
    runs = dict(ScheduledJobRun.objects.values_list("name", "runs"))
    assert {"workflow.timers", "audit.checkpoint"} <= set(runs) and set(runs.values()) == {1}
    assert sum("audit.checkpoint" in output for output in outputs) == 1, outputs
    assert AuditCheckpoint.objects.count() == 1
    checkpoint_files = [key for key in bucket_keys(s3_endpoint, bucket) if key.startswith("site/audit-checkpoints/")]
    assert len(checkpoint_files) == 1
