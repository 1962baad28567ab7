from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's backend, loading a signed-in user with their nation in one query: every page a
    focal point opens shows it and filters by it."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("nation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
