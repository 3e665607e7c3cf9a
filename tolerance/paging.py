"""Keyset pagination: every list page costs one indexed query, however long the list grows."""

PAGE_SIZE = 50
# A 64-bit primary key has at most 19 digits; a longer value is no page's key (and int() of thousands of
# digits raises ValueError).
_MAX_KEY_DIGITS = 19


def keyset_page(queryset, *, before: str, per_page: int = PAGE_SIZE):
    """One page of `queryset`, newest first by primary key, and the `before` value of the next page.

    `before` is the last primary key of the previous page (a string from the query string; anything
    but ASCII digits, or more digits than a 64-bit key has, means the first page). Unlike OFFSET paging with an exact COUNT, the cost does not grow
    with the table and rows do not shift between pages while cases are being filed.
    """
    rows = queryset.order_by("-pk")
    if (
        before.isascii() and before.isdigit() and len(before) <= _MAX_KEY_DIGITS
    ):  # not "²", which isdigit() accepts but int() refuses
        rows = rows.filter(pk__lt=int(before))
    page = list(rows[: per_page + 1])
    next_before = page[per_page - 1].pk if len(page) > per_page else None
    return page[:per_page], next_before
