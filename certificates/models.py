import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.visibility import ScopedQuerySet


def new_code():
    """An unguessable verification code: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


class CertificateQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """As its nomination: staff and observers all; a focal point their nation's; a
        participant their own."""
        from nominations.models import Nomination

        return self.filter(nomination__in=Nomination.objects.visible_to(user).values("pk"))


class Certificate(models.Model):
    nomination = models.OneToOneField(
        "nominations.Nomination", verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    code = models.CharField(_("verification code"), max_length=40, unique=True, default=new_code, editable=False)
    # As printed: the certificate keeps saying what it said when issued.
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (Latin script)"), max_length=200, blank=True)
    course_en = models.CharField(_("course (English)"), max_length=200)
    course_ar = models.CharField(_("course (Arabic)"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("certificates:pdf", args=[self.number])

    @property
    def is_valid(self):
        return self.revoked_at is None

    def verify_path(self):
        return reverse("certificates:verify", args=[self.code])


class CertificateCounter(models.Model):
    """The last number given in a year; locked while a number is taken so none is given twice."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
