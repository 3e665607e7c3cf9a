"""The case list's `before` parameter: anything but an ASCII number means the first page, never an error."""

import pytest


@pytest.mark.parametrize(
    "before", ["²", "١٢", "abc", "", "-1"], ids=["superscript", "arabic-indic", "letters", "empty", "negative"]
)
def test_a_before_that_is_not_an_ascii_number_shows_the_first_page(client_for, file_case, before):
    case = file_case()

    response = client_for("officer_guet").get("/cases/", {"before": before})

    assert response.status_code == 200
    assert case.number in response.content.decode()


def test_a_numeric_before_shows_the_cases_filed_earlier(client_for, file_case):
    first, second = file_case(title="第一件"), file_case(title="第二件")

    body = client_for("officer_guet").get("/cases/", {"before": str(second.pk)}).content.decode()

    assert first.number in body and second.number not in body
