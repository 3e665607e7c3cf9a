import pytest
from django.db import connection
from django.test import Client

from tolerance import demo


@pytest.fixture(scope="session", autouse=True)
def _load_url_patterns():
    """Viewflow nodes can only reverse() once the URLconf has been loaded."""
    from django.urls import get_resolver

    get_resolver().url_patterns


@pytest.fixture
def institutions(db):
    return demo.seed_institutions()


@pytest.fixture
def users(institutions):
    return demo.seed_users(institutions)


@pytest.fixture
def guet(institutions):
    return institutions["GUET"]


@pytest.fixture
def gxnu(institutions):
    return institutions["GXNU"]


@pytest.fixture
def client_for(users):
    """A logged-in test client for a demo user: `client_for("officer_guet")`."""

    def make(username):
        client = Client()
        client.force_login(users[username])
        return client

    return make


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")
