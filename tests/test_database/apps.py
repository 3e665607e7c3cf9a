from django.apps import AppConfig


class TestDatabaseConfig(AppConfig):
    """How the tests empty the database between transactional tests (management/commands/flush.py).
    Installed by tolerance/settings_test.py alone."""

    name = "tests.test_database"
    label = "test_database"
    verbose_name = "Test database (tests only)"
