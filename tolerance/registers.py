"""Registers (台账): a case type names a standing, filtered view of its cases with columns of its own,
shown on the desk and exported like the case list. Registered from the type's `setup.register()`."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RegisterSpec:
    code: str
    label: str
    case_type: str
    # (queryset of visible cases of the type) -> the register's rows
    rows: Callable
    # (column title, (case) -> value) added after the desk's own columns
    columns: list = field(default_factory=list)
    description: str = ""


_registry: dict[str, RegisterSpec] = {}


def register_register(spec: RegisterSpec) -> None:
    _registry[spec.code] = spec


def register_specs() -> list[RegisterSpec]:
    return sorted(_registry.values(), key=lambda spec: spec.code)


def register_spec(code: str) -> RegisterSpec | None:
    return _registry.get(code)
