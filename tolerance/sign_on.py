"""Campus single sign-on (统一身份认证) through each institution's CAS server.

django-cas-ng's views read one CAS_SERVER_URL for the whole site; here every institution has its own, so
the views (tolerance.views.sign_on) make a python-cas client (the protocol client django-cas-ng itself
uses) per institution, and keep django-cas-ng's SessionTicket so the CAS server's single sign-out ends
the session it opened. A CAS login only ever reaches an account the institution already lists: the staff
number from the CAS attributes finds the profile (imported or entered by its administrator), the first
login links the CAS identity to it, and anyone else is refused — no empty account is created.
"""

from dataclasses import dataclass

from cas import CASClient
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tolerance.models import CampusIdentity, CasSignOn, Institution, Profile
from tolerance.services.policy import policy_save


@dataclass(frozen=True)
class SignOnConfig:
    institution: Institution
    server_url: str
    version: str
    staff_number_attribute: str
    name_attribute: str

    def client(self, service_url: str) -> CASClient:
        return CASClient(version=int(self.version), server_url=self.server_url, service_url=service_url)


def sign_on_config(institution: Institution) -> SignOnConfig | None:
    """How `institution` signs its people on, or None when it has no campus sign-on."""
    stored = CasSignOn.objects.filter(institution=institution).first()
    if stored is not None and not stored.is_enabled:
        return None
    server_url = settings.CAS_SERVERS.get(institution.code) or (stored.server_url if stored else "")
    if not server_url or not institution.is_active:
        return None
    return SignOnConfig(
        institution=institution,
        server_url=server_url,
        version=stored.version if stored else "3",
        staff_number_attribute=stored.staff_number_attribute if stored else "",
        name_attribute=stored.name_attribute if stored else "",
    )


def sign_on_institutions() -> list[Institution]:
    """The institutions whose people can sign on through their campus server (for the login page)."""
    return [institution for institution in Institution.objects.filter(is_active=True) if sign_on_config(institution)]


class SignOnRefused(Exception):
    """The CAS server vouched for someone this institution does not list; the message says so to them."""


def _attribute(attributes: dict, name: str) -> str:
    value = attributes.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def campus_user_resolve(*, config: SignOnConfig, cas_user: str, attributes: dict):
    """The account a verified CAS identity signs in to; links it at the first login. Raises SignOnRefused."""
    institution = config.institution
    linked = CampusIdentity.objects.filter(institution=institution, cas_user=cas_user).select_related("user").first()
    if linked is not None:
        user = linked.user
    else:
        staff_number = (
            _attribute(attributes, config.staff_number_attribute) if config.staff_number_attribute else cas_user
        )
        profile = (
            Profile.objects.filter(institution=institution, staff_number=staff_number).select_related("user").first()
            if staff_number
            else None
        )
        if profile is None:
            raise SignOnRefused(
                _(
                    "You signed in to the campus login, but %(institution)s has not registered you in this system "
                    "(staff number %(number)s). Ask your institution's administrator to add you."
                )
                % {"institution": institution.name_zh, "number": staff_number or "—"}
            )
        name = _attribute(attributes, config.name_attribute) if config.name_attribute else ""
        if name and name != profile.real_name:
            raise SignOnRefused(
                _(
                    "The campus login names you %(name)s, but staff number %(number)s is registered here for "
                    "someone else. Ask your institution's administrator to check your details."
                )
                % {"name": name, "number": staff_number}
            )
        user = profile.user
        with transaction.atomic():
            policy_save(actor=user, instance=CampusIdentity(institution=institution, cas_user=cas_user, user=user))
    if not user.is_active:
        raise SignOnRefused(_("Your account in this system is deactivated. Ask your institution's administrator."))
    return user
