"""The composed site's home page: what each role is offered there, and the menu and header around it.

The demo users are seeded once for the class (each test in its own rolled-back savepoint); the checks
for every demo user are subtests, reported per user."""

import re

from django.test import Client

from tests.factories import AdministratorFactory
from tests.testcases import DemoUsersTestCase
from tests.tolerance.test_site import VIEWFLOW_CHROME, visible_text
from tolerance.demo import DEMO_USERS, demo_password


class HomePageTests(DemoUsersTestCase):
    def test_every_demo_user_logs_in_and_sees_a_chinese_home_page(self):
        for spec in DEMO_USERS:
            with self.subTest(spec.username):
                client = Client()
                response = client.post("/accounts/login/", {"username": spec.username, "password": demo_password()})
                assert response.status_code == 302
                home = client.get("/")
                text = visible_text(home)

                assert home.status_code == 200
                assert 'lang="zh-hans"' in home.content.decode()
                assert "您可以" in text
                assert f"您好，{spec.real_name}" in text
                for english in VIEWFLOW_CHROME:
                    assert english not in text

    def test_every_link_on_a_home_page_works_for_its_user(self):
        for spec in DEMO_USERS:
            with self.subTest(spec.username):
                client = self.client_for(spec.username)
                body = client.get("/").content.decode()
                content = body[body.index('class="vf-page__content"') :]
                links = set(re.findall(r'href="(/[^"]*)"', content))

                assert links
                for link in links:
                    assert client.get(link).status_code == 200, link

    def test_each_role_is_offered_what_it_can_do(self):
        officer = visible_text(self.client_for("officer_guet").get("/"))
        researcher = visible_text(self.client_for("researcher_zhang").get("/"))
        supervisor = visible_text(self.client_for("supervisor_city").get("/"))

        assert "立案" in officer and "我的案件" not in officer
        assert "我的案件" in researcher and "立案" not in researcher
        assert "各机构案件统计" in supervisor or "查看各机构的案件统计" in supervisor

    def test_the_admin_site_is_offered_only_to_administrators_it_would_let_in(self):
        """The admin site admits staff only; an administrator without staff status would land on its login page."""
        administrator = AdministratorFactory(username="admin_no_staff")

        assert 'href="/admin/"' in self.client_for("admin").get("/").content.decode()
        client = Client()
        client.force_login(administrator)
        assert 'href="/admin/"' not in client.get("/").content.decode()
        administrator.is_staff = True
        administrator.save(update_fields=["is_staff"])
        assert 'href="/admin/"' in client.get("/").content.decode()

    def test_the_header_shows_the_users_institution(self):
        assert "桂林电子科技大学" in visible_text(self.client_for("officer_guet").get("/"))
        assert "广西师范大学" in visible_text(self.client_for("officer_gxnu").get("/"))
        assert "桂林市科学技术局" in visible_text(self.client_for("supervisor_city").get("/"))
