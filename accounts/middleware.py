"""The signed-in user of a request, as its session's read found them (accounts.sessions)."""

from django.contrib import auth
from django.contrib.auth import middleware
from django.utils.functional import SimpleLazyObject

from accounts import backends


def _user(request):
    if not hasattr(request, "_cached_user"):
        with backends.reading(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, but the backend takes the user that the session's read found with it instead of
    reading them again. Django still checks everything else: the backend, the user's session hash
    and that they may sign in."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))
