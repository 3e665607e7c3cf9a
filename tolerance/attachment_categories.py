"""Labels for the evidence categories apps file attachments under (stored as short codes)."""

_labels = {}
# The case types (CaseType codes) each category belongs to; "" among them: shared by every case type.
_case_types: dict[str, set[str]] = {}


def register_attachment_categories(labels: dict, case_type: str = "") -> None:
    """Registering a code again for another case type adds that type: a shared step's category (appeal
    evidence) belongs to each case type whose flow has the step, and to no other."""
    _labels.update(labels)
    for code in labels:
        _case_types.setdefault(code, set()).add(case_type)


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
            if not case_type or "" in _case_types[code] or case_type in _case_types[code]
        ),
    ]
