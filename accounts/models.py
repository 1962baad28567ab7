from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import choice_label


class Role(models.TextChoices):
    ADMIN = "admin", _("Centre administrator")
    DIRECTOR = "director", _("Programme officer")
    INSTRUCTOR = "instructor", _("Instructor")
    FOCAL_POINT = "focal_point", _("National focal point")
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")


class User(AbstractUser):
    """A person who signs in. What they may see and do follows from `role` and `nation`."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    nation = models.ForeignKey(
        "partners.Nation",
        verbose_name=_("nation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The nation a focal point or participant belongs to."),
    )
    language = models.CharField(
        _("interface language"),
        max_length=5,
        choices=[("ar", _("Arabic")), ("en", _("English"))],
        default="en",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # Labels translated once per language (core.i18n.choice_label), not on every call.
    def get_role_display(self):
        return choice_label(Role, self.role)

    def clean(self):
        super().clean()
        if self.role == Role.FOCAL_POINT and not self.nation_id:
            raise ValidationError({"nation": _("A focal point must be bound to a nation.")})

    @property
    def is_centre_admin(self):
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)

    @property
    def is_centre_staff(self):
        """Administrators and programme officers: the people who run the catalogue."""
        return self.is_centre_admin or (self.is_active and self.role == Role.DIRECTOR)

    @property
    def is_focal_point(self):
        return self.is_active and self.role == Role.FOCAL_POINT and self.nation_id is not None

    @property
    def sees_all_nations(self):
        return self.is_centre_staff or (self.is_active and self.role == Role.OBSERVER)


class Session(AbstractBaseSession):
    """Django's database session, with the user it signs in: each request then reads its session
    and its user (with their nation) in one query (accounts.sessions), and a user's sessions end
    with them."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
