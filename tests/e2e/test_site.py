import pytest

pytestmark = pytest.mark.e2e


def test_an_officer_logs_in_and_sees_the_chinese_home_page(logged_in):
    page = logged_in("officer_guet")
    assert "您好，王科" in page.content()
    assert "桂林电子科技大学" in page.inner_text("header")


def test_the_language_switch_turns_the_page_english_and_back(logged_in):
    page = logged_in("researcher_zhang")
    with page.expect_navigation():
        page.select_option("#tol-language", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Hello, 张三" in page.content()
    with page.expect_navigation():
        page.select_option("#tol-language", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
