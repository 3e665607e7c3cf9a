import pytest

from tolerance import demo


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium: `playwright install` cannot download browsers on these machines.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }


@pytest.fixture
def demo_users(transactional_db):
    return demo.seed_users(demo.seed_institutions())


@pytest.fixture
def logged_in(page, live_server, demo_users):
    def login(username):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", demo.demo_password())
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login
