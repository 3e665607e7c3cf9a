"""Fixtures shared by the visibility, list, permission and concurrency tests.

Imported by those modules under their function names; the fixtures themselves are named by
`name=`, so a test's parameter does not shadow the import.
"""

import pytest

from bench.lists_seed import seed_exemption_cases

GUET_ROLES = {
    "filer": "officer_guet",
    "reviewer": "reviewer_guet",
    "investigator": "officer_guet",
    "subject": "researcher_zhang",
}
GXNU_ROLES = {
    "filer": "officer_gxnu",
    "reviewer": "officer_gxnu",
    "investigator": "officer_gxnu",
    "subject": "researcher_gxnu",
}


@pytest.fixture(name="exemption_flow")
def exemption_flow_fixture():
    from workflows.flows import ExemptionFlow

    return ExemptionFlow


@pytest.fixture(name="seed_cases")
def seed_cases_fixture(users, institutions, exemption_flow):
    """`seed_cases(n)` bulk-inserts n cases alternating GUET and GXNU; returns their Case rows."""
    from tolerance.models import Case

    def seed(count):
        by_role = {role: {"GUET": users[GUET_ROLES[role]], "GXNU": users[GXNU_ROLES[role]]} for role in GUET_ROLES}
        ids = seed_exemption_cases(
            flow_class=exemption_flow,
            count=count,
            institutions={"GUET": institutions["GUET"], "GXNU": institutions["GXNU"]},
            **by_role,
        )
        return list(Case.objects.filter(pk__in=ids).select_related("institution").order_by("pk"))

    return seed


@pytest.fixture(name="flow_app")
def flow_app_fixture(exemption_flow):
    """The site's application for the exemption flow."""
    from composition.site import site
    from workflows.viewsets import ToleranceFlowAppViewset

    return next(
        app for app in site.viewsets if isinstance(app, ToleranceFlowAppViewset) and app._flow_class is exemption_flow
    )
