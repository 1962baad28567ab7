import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.visibility import ScopedQuerySet, nation_id_of, sees_all_nations


def new_code():
    """An unguessable verification code: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


class CertificateQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """As its nomination: staff and observers all; a focal point their nation's (the
        certificate keeps its nomination's nation, which never changes); a participant their own."""
        from nominations.models import Nomination

        if sees_all_nations(user):
            return self.all()
        if getattr(user, "is_focal_point", False):
            return self.filter(nation_id=nation_id_of(user))
        return self.filter(nomination__in=Nomination.objects.visible_to(user).values("pk"))


class Certificate(models.Model):
    nomination = models.OneToOneField(
        "nominations.Nomination", verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="certificate"
    )
    # Its nomination's, kept here so that a nation's certificates are read in the list's order
    # from one index: through the nominations, a focal point's list sorted every certificate of
    # their nation on each page (50 ms, 280 at the 95th percentile, among 850,000).
    nation = models.ForeignKey(
        "partners.Nation", verbose_name=_("nation"), on_delete=models.PROTECT, related_name="+", editable=False
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
        indexes = [
            # The lists' order, with the id that their pages read: without it PostgreSQL visited each
            # certificate's row up to the page (100 rows for page 4), most of them from the disk.
            models.Index(fields=["nation", "-issued_at", "-number", "id"], name="certificate_nation_issued_id"),
            models.Index(fields=["-issued_at", "-number", "id"], name="certificate_issued_id"),
            # The API's order, a nation's: deep pages sorted all of a nation's (27 to 40 ms). With the
            # id as well: otherwise PostgreSQL preferred the index above, which holds it, and sorted
            # all of a nation's again (35 ms for page 40).
            models.Index(fields=["nation", "number", "id"], name="certificate_nation_number_id"),
        ]
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
