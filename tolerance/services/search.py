"""Keeping each case's search text (Case.search_text) current: its number, title, people, institution
and whatever its type adds (the company, the research result), in lower case.

Everything it reads is written when the case is filed (the case, its subjects, its type's details) or
when a person's profile changes; so it is computed at those moments only, once, just before their
transaction commits (tolerance.audit.pending.call_before_commit), not after every task. A service that
later changes something the text reads calls `case_search_text_mark`.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save

from tolerance.audit import pending
from tolerance.case_types import case_type_spec
from tolerance.models import Case, Profile


def case_search_text(case: Case) -> str:
    words = [case.number, case.title, case.institution.name_zh, case.institution.code]
    for person in [case.filed_by, *[link.user for link in case.subject_links.select_related("user__profile")]]:
        profile = getattr(person, "profile", None)
        words += [person.get_username(), profile.real_name if profile else "", profile.organisation if profile else ""]
    spec = case_type_spec(case.case_type)
    if spec is not None and spec.search_terms is not None:
        try:
            words += spec.search_terms(case)
        except ObjectDoesNotExist:  # a type's details not written (a case filed outside its flow)
            pass
    return " ".join(word for word in words if word).lower()


def case_search_text_refresh(case: Case) -> None:
    text = case_search_text(case)
    if text != case.search_text:
        Case.objects.filter(pk=case.pk).update(search_text=text)
        case.search_text = text


def case_search_text_mark(case: Case) -> None:
    """Recompute `case`'s search text at the end of the current transaction (now, outside one), from the
    same object: what the filing cached on it (institution, filer, its type's details) is not read again."""
    pending.call_before_commit(
        transaction.get_connection(), ("search_text", case.pk), lambda: case_search_text_refresh(case)
    )


def _profile_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not {"real_name", "organisation"} & set(update_fields)):
        return
    cases = Case.objects.filter(Q(filed_by_id=instance.user_id) | Q(subject_links__user_id=instance.user_id))
    for case in cases.distinct().select_related("institution", "filed_by__profile"):
        case_search_text_mark(case)


def connect():
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid="search.profile_saved")
