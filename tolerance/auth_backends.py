"""Django's model backend, loading the signed-in user with their profile and institution in one query."""

from django.contrib.auth import backends, get_user_model


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
