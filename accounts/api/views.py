from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView


class ObtainToken(APIView):
    """Exchange a user name and password for a token. Failures are counted per client
    address and user name; past the limit, further tries answer 429 until the window ends."""

    authentication_classes = []
    permission_classes = []

    def _key(self, request):
        ip = request.META.get("REMOTE_ADDR", "")
        return f"token-failures:{ip}:{str(request.data.get('username', ''))[:150].lower()}"

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer("Token", {"token": serializers.CharField()}),
    )
    def post(self, request):
        key = self._key(request)
        limit, window = settings.TOKEN_FAILURE_LIMIT, settings.TOKEN_FAILURE_WINDOW
        if cache.get(key, 0) >= limit:
            raise Throttled(wait=window, detail=_("Too many failed attempts; try again later."))
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            cache.add(key, 0, window)
            cache.incr(key)
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        cache.delete(key)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
