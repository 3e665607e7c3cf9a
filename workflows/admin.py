"""Django's admin looks for `<app>.admin`: each package's admin pages are gathered here."""

from workflows.exemption import admin as exemption_admin
from workflows.licensing import admin as licensing_admin
from workflows.rectification import admin as rectification_admin

__all__ = ["exemption_admin", "licensing_admin", "rectification_admin"]
