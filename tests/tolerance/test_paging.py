"""The case list's `page` parameter: anything but a plain ASCII page number means the first page, never an error."""

import pytest


@pytest.mark.parametrize(
    "page",
    ["²", "١٢", "abc", "", "-1", "0", "9" * 30],
    ids=["superscript", "arabic-indic", "letters", "empty", "negative", "zero", "huge"],
)
def test_a_page_that_is_not_an_ascii_number_shows_the_first_page(client_for, file_case, page):
    case = file_case()

    response = client_for("officer_guet").get("/cases/", {"page": page})

    assert response.status_code == 200
    assert case.number in response.content.decode()


def test_each_page_shows_its_own_cases(client_for, file_case, monkeypatch):
    monkeypatch.setattr("tolerance.selectors.desk.PAGE_SIZE", 1)
    cases = [file_case(title="第一件"), file_case(title="第二件")]
    client = client_for("officer_guet")

    pages = [client.get("/cases/", {"page": page}).content.decode() for page in ("1", "2")]

    shown = [{case.number for case in cases if case.number in body} for body in pages]
    assert all(len(numbers) == 1 for numbers in shown) and shown[0] != shown[1]
