"""Django TestCase bases for tests that share what they only read, made once per class (setUpTestData).

Each test still runs inside its own rolled-back savepoint, so what one test writes no other test sees.
"""

from django.test import Client, TestCase

from tolerance import demo
from workflows.exemption.demo import seed_case_type_policies


class DemoUsersTestCase(TestCase):
    """`self.users` and `self.institutions`, as the `users` and `institutions` fixtures (tests/conftest.py)
    make them, seeded once for the class rather than for each test."""

    @classmethod
    def setUpTestData(cls):
        cls.institutions = demo.seed_institutions()
        seed_case_type_policies(cls.institutions)
        cls.users = demo.seed_users(cls.institutions)

    def client_for(self, username: str) -> Client:
        """A logged-in test client for a demo user, as the `client_for` fixture."""
        client = Client()
        client.force_login(self.users[username])
        return client
