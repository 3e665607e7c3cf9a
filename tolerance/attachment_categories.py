"""Labels for the evidence categories apps file attachments under (stored as short codes)."""

_labels = {}
# The case type (CaseType code) each category belongs to; a category registered without one is shared.
_case_types = {}


def register_attachment_categories(labels: dict, case_type: str = "") -> None:
    _labels.update(labels)
    for code in labels:
        _case_types[code] = case_type


def attachment_category_label(code: str):
    return _labels.get(code, code)


def attachment_category_choices(case_type: str = ""):
    """Form choices: no category, then the registered codes with their translated labels — given a case
    type, only its own categories and the shared ones (a licensee is not offered a committee's minutes).

    Called when a form is built, so categories registered by apps after import are included.
    """
    return [
        ("", "—"),
        *(
            (code, label)
            for code, label in _labels.items()
            if _case_types[code] in ("", case_type or _case_types[code])
        ),
    ]
