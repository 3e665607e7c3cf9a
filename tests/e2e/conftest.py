"""Browser journeys against pytest-django's live server, one seeded database per module.

A module defines `seed(users) -> dict`: it puts the cases its journeys start from in their state with the
demo's code driver and services (never by clicking through stages another journey covers). The module's
tests share that database and run in file order (`make e2e` runs without random ordering); it is emptied
once the module is done.
"""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from tests.e2e.browser import Journey, by_code
from tolerance import demo


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium: `playwright install` cannot download browsers on these machines.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "accept_downloads": True}


@pytest.fixture(scope="module")
def seeded(request, django_db_setup, django_db_blocker):
    """The module's seeded database: `seeded.users` (the demo's) and whatever its `seed(users)` returned."""
    with django_db_blocker.unblock():
        # The demo users have made-up addresses; what the cases send them is not what these tests are about.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            users = demo.seed_users(demo.seed_institutions())
            seed = getattr(request.module, "seed", None)
            extra = by_code(seed, users) if seed else {}
        yield SimpleNamespace(users=users, **extra)
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    """pytest-django's helper of the same name gives each test a database of its own (a flush after each);
    here the module's `seeded` database is kept across its tests, and the test thread may read it."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("seeded")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()


def _journey(page, live_server, phone):
    journey = Journey(page=page, base_url=live_server.url, phone=phone)
    yield journey
    journey.assert_clean()


@pytest.fixture
def journey(page, live_server, seeded):
    """A desktop-width journey; console errors and CSP violations fail it."""
    yield from _journey(page, live_server, phone=False)


@pytest.fixture
def journey_for(page, live_server, seeded):
    """`journey_for("phone")`: a journey 360 px wide (a phone), or `"desktop"` wide."""
    made = []

    def make(width):
        made.append(Journey(page=page, base_url=live_server.url, phone=width == "phone"))
        return made[-1]

    yield make
    for journey in made:
        journey.assert_clean()
