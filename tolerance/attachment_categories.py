"""Labels for the evidence categories apps file attachments under (stored as short codes)."""

_labels = {}


def register_attachment_categories(labels: dict) -> None:
    _labels.update(labels)


def attachment_category_label(code: str):
    return _labels.get(code, code)


def attachment_category_choices():
    """Form choices: no category, then every registered code with its translated label.

    Called when a form is built, so categories registered by apps after import are included.
    """
    return [("", "—"), *_labels.items()]
