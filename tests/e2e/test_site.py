"""Signing in and the language switch."""

import pytest

pytestmark = pytest.mark.e2e


def test_an_officer_logs_in_and_sees_the_chinese_home_page(journey):
    page = journey.goto("/accounts/login/")
    journey.look("login")
    page = journey.login("officer_guet")
    journey.look("home-officer")
    assert "您好，王科" in page.inner_text("main")
    assert "桂林电子科技大学" in page.inner_text("header")


def test_the_language_switch_turns_the_page_english_and_back(journey):
    page = journey.login("researcher_zhang")
    with page.expect_navigation():
        page.get_by_role("combobox", name="语言").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    journey.look()
    assert "Hello, 张三" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("combobox", name="Language").select_option("zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
