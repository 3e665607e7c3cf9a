from django import template

from tolerance.sign_on import sign_on_institutions

register = template.Library()


@register.simple_tag
def campus_login_institutions():
    """The institutions whose campus login the login page offers (none without CAS configured)."""
    return sign_on_institutions()
