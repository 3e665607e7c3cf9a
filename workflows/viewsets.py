"""The workflow applications shown in the site menu, one per case type."""


def flow_applications():
    return []
