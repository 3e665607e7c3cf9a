"""Django's model backend, loading the signed-in user with their profile, institution and roles in one
query, and their permissions in one more."""

from django.contrib.auth import backends, get_user_model
from django.db.models import BooleanField, Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from tolerance import roles

_ROLES = tuple(enumerate(roles.ROLE_LABELS))


def _with_roles(users):
    """Annotate, per user, whether they hold each known role and how many groups they are in: where the two
    agree, those roles are all their groups and `roles.user_roles` needs no query of its own."""
    membership = get_user_model().groups.through.objects.filter(user=OuterRef("pk"))
    total = membership.values("user").annotate(n=Count("pk")).values("n")
    return users.annotate(
        _groups_total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
        **{f"_holds_role_{index}": Exists(membership.filter(group__name=name)) for index, name in _ROLES},
    )


class ModelBackend(backends.ModelBackend):
    """Nearly every page (visibility, menus) and every audit event reads the user's profile, institution and
    roles: joined into the query that loads the user for the session, rather than three more per request."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = _with_roles(model._default_manager.select_related("profile__institution")).get(pk=user_id)
        except model.DoesNotExist:
            return None
        held = {name for index, name in _ROLES if getattr(user, f"_holds_role_{index}")}
        if len(held) == user._groups_total:
            user._tolerance_roles = held
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """Django's answer, with the user's own and their groups' permissions read in one query (a UNION)
        instead of two; every flow page asks once per request."""
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and obj is None
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_perm_cache")
            and not hasattr(user_obj, "_user_perm_cache")
            and not hasattr(user_obj, "_group_perm_cache")
        ):
            fields = ("content_type__app_label", "codename")
            own = self._get_user_permissions(user_obj).values_list(*fields, Value(True, output_field=BooleanField()))
            grouped = self._get_group_permissions(user_obj).values_list(
                *fields, Value(False, output_field=BooleanField())
            )
            found = {True: set(), False: set()}
            for app_label, codename, is_own in own.order_by().union(grouped.order_by(), all=True):
                found[bool(is_own)].add(f"{app_label}.{codename}")
            user_obj._user_perm_cache, user_obj._group_perm_cache = found[True], found[False]
        return super().get_all_permissions(user_obj, obj=obj)
