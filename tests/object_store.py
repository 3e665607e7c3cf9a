"""A local S3-compatible server for the tests: moto's standalone server on a free port, no network.

Its fixtures are loaded for every test (tests/conftest.py); moto and boto3 are imported only when one is used.
"""

import contextlib
import socket
import uuid

import pytest

ACCESS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a moto S3 server running for the whole test session."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, **ACCESS)


def bucket_make(endpoint: str) -> str:
    name = f"tolerance-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def bucket_keys(endpoint: str, bucket: str) -> list[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def object_storage_settings(endpoint: str, bucket: str) -> dict:
    """STORAGES entries as settings.py builds them from TOLERANCE_S3_* (prefix "site")."""
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": ACCESS["region_name"],
        "access_key": ACCESS["aws_access_key_id"],
        "secret_key": ACCESS["aws_secret_access_key"],
        "addressing_style": "path",
    }
    backend = "tolerance.object_storage.ObjectStorage"
    return {
        "archive": {"BACKEND": backend, "OPTIONS": {**options, "location": "site"}},
        "checkpoints": {"BACKEND": backend, "OPTIONS": {**options, "location": "site/audit-checkpoints"}},
    }


def object_storage_environment(endpoint: str, bucket: str) -> dict:
    """The same, as the environment of an app server."""
    return {
        "TOLERANCE_S3_BUCKET": bucket,
        "TOLERANCE_S3_ENDPOINT_URL": endpoint,
        "TOLERANCE_S3_REGION": ACCESS["region_name"],
        "TOLERANCE_S3_ACCESS_KEY_ID": ACCESS["aws_access_key_id"],
        "TOLERANCE_S3_SECRET_ACCESS_KEY": ACCESS["aws_secret_access_key"],
        "TOLERANCE_S3_ADDRESSING_STYLE": "path",
        "TOLERANCE_S3_PREFIX": "site",
    }


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """The archive and the checkpoint copies in a fresh bucket of the local S3 server; yields the bucket."""
    bucket = bucket_make(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, **object_storage_settings(s3_endpoint, bucket)}
    return bucket
