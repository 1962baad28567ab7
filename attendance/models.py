from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.visibility import ScopedQuerySet


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class AttendanceQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from nominations.models import Nomination

        return self.filter(nomination__in=Nomination.objects.visible_to(user).values("pk"))


class Attendance(models.Model):
    """One participant on one day of an offering."""

    nomination = models.ForeignKey(
        "nominations.Nomination", verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="attendance"
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=8, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["date", "nomination_id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["nomination", "date"], name="attendance_one_per_day")]

    def __str__(self):
        return f"{self.nomination_id} {self.date}: {self.status}"
