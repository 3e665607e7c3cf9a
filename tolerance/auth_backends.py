"""Django's model backend, loading the signed-in user with their profile and institution in one query, and
their permissions in one more."""

from django.contrib.auth import backends, get_user_model
from django.db.models import BooleanField, Value


class ModelBackend(backends.ModelBackend):
    """Nearly every page (visibility, menus) and every audit event reads the user's profile and institution:
    joined into the query that loads the user for the session, rather than two more per request."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("profile__institution").get(pk=user_id)
        except model.DoesNotExist:
            return None
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
