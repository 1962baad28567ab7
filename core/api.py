"""What every API viewset shares: visibility, permissions, service errors."""

import copy
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import ValidationError

from core.visibility import is_centre_staff


class StaffWritesOrReadOnly(permissions.BasePermission):
    """Anyone reads what they can see; only centre staff write."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_centre_staff(request.user)


class VisibleViewSet(viewsets.GenericViewSet):
    """The queryset is `visible_to(request.user)`: what a user may not see answers 404."""

    permission_classes = [StaffWritesOrReadOnly]

    def get_queryset(self):
        return self.queryset.model.objects.visible_to(self.request.user)


class WriteViaServices(mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Create and update call the app's services, never `serializer.save()`."""

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = self.create_with(dict(serializer.validated_data))

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = self.update_with(serializer.instance, dict(serializer.validated_data))


class FieldsOnce:
    """For a ModelSerializer: its fields are worked out from the model once per process and
    copied for each serializer, as DRF copies declared fields. Working them out again on every
    request is most of what building a serializer costs."""

    def get_fields(self):
        cls = type(self)
        prototypes = cls.__dict__.get("_prototype_fields")
        if prototypes is None:
            prototypes = cls._prototype_fields = super().get_fields()
        return copy.deepcopy(prototypes)


@contextmanager
def service_errors():
    """A Django ValidationError raised by a service becomes a 400 with field messages."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from error
        raise ValidationError({"non_field_errors": error.messages}) from error
