from tests.decisions.conftest import exemption_case, issue  # noqa: F401 — fixtures used by tests here
