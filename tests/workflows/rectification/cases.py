"""A Django TestCase base for the rectification tests that drive one case once per class (setUpTestData):
the demo users, the catalogues and conftest's page driver, seeded once; each test gets its own driver."""

from django.test import Client

from tests.testcases import DemoUsersTestCase
from tests.workflows.rectification.conftest import Driver
from workflows.rectification.demo import seed_case_type_policies
from workflows.rectification.policy import catalogue_load_all


def _login(users, username) -> Client:
    client = Client()
    client.force_login(users[username])
    return client


class RectificationTestCase(DemoUsersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_case_type_policies(cls.institutions)
        cls.catalogues = {code: catalogue_load_all(cls.institutions[code])[0] for code in ("GUET", "GXNU")}

    @classmethod
    def class_driver(cls) -> Driver:
        """The driver for setUpTestData, before any test instance exists."""
        return Driver(lambda username: _login(cls.users, username), cls.users, cls.catalogues)

    def setUp(self):
        self.driver = Driver(self.client_for, self.users, self.catalogues)
