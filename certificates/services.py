"""Issuing and revoking certificates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateCounter
from core.errors import DomainError, NotAllowed
from nominations.models import Nomination, NominationStatus
from training.services import can_run


def _next_number(year):
    try:
        with transaction.atomic():
            CertificateCounter.objects.get_or_create(year=year)
    except IntegrityError:  # created meanwhile by another issuer
        pass
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{settings.CERTIFICATE_PREFIX}-{year}-{counter.last:05d}"


def _issue(by, nomination, now):
    person, offering = nomination.person, nomination.offering
    return Certificate.objects.create(
        nomination=nomination,
        nation_id=nomination.nation_id,
        number=_next_number(offering.end_date.year),
        name_ar=person.name_ar,
        name_en=person.name_en,
        course_en=offering.course.title_en,
        course_ar=offering.course.title_ar,
        start_date=offering.start_date,
        end_date=offering.end_date,
        issued_at=now,
        issued_by=by,
    )


@transaction.atomic
def certificate_issue(*, by, nomination):
    nomination = (
        Nomination.objects.select_for_update()
        .select_related("person", "offering", "offering__course")
        .get(pk=nomination.pk)
    )
    if not can_run(by, nomination.offering):
        raise NotAllowed(_("Only the offering's director or an administrator issues its certificates."))
    if nomination.status != NominationStatus.COMPLETED:
        raise DomainError(_("Certificates go only to participants who completed the course."), "not_completed")
    if Certificate.objects.filter(nomination=nomination).exists():
        raise DomainError(_("This participant already has a certificate."), "already_issued")
    return _issue(by, nomination, timezone.now())


@transaction.atomic
def certificates_issue_for_offering(*, by, offering, on=None):
    """A certificate for every completed participant who has none yet; the new ones."""
    if not can_run(by, offering):
        raise NotAllowed(_("Only the offering's director or an administrator issues its certificates."))
    pending = (
        Nomination.objects.select_for_update(of=("self",))
        .filter(offering=offering, status=NominationStatus.COMPLETED, certificate__isnull=True)
        .select_related("person", "offering", "offering__course")
        .order_by("person__name_en", "id")
    )
    now = on or timezone.now()
    return [_issue(by, nomination, now) for nomination in pending]


@transaction.atomic
def certificate_revoke(*, by, certificate, reason):
    certificate = Certificate.objects.select_for_update().select_related("nomination__offering").get(pk=certificate.pk)
    if not can_run(by, certificate.nomination.offering):
        raise NotAllowed(_("Only the offering's director or an administrator revokes its certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    if certificate.revoked_at:
        raise DomainError(_("This certificate is already revoked."), "already_revoked")
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = timezone.now(), by, reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return certificate
