"""Business state that must be derivable from the audit chain, checked by `verify_audit`.

The chain proves what was recorded; a raw UPDATE of a business table leaves it intact. An app whose
rows state something the chain also records (a decision's status) registers a check that compares the
two, so such an UPDATE is reported too. The audit app stays below every other: it only calls them.
"""

from collections.abc import Callable

_CHECKS: list[Callable[[], list[str]]] = []


def register_state_check(check: Callable[[], list[str]]) -> None:
    """`check()` returns one line per difference between the stored state and the chain (none: agree)."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def state_differences() -> list[str]:
    return [difference for check in _CHECKS for difference in check()]
