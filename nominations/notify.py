"""E-mails about nominations, in each recipient's language, sent after the change commits."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks_db.backend import DatabaseBackend

from accounts.models import Role, User

# Events that are worth an e-mail: the new states, "promoted", and "cancelled" (the offering).
EVENTS = {"accepted", "waitlisted", "declined", "promoted", "cancelled"}


def later(nomination, event):
    """Queue the e-mails for `event`. A queue kept in the database takes them in the surrounding
    transaction: they then commit, or not, with the change they tell of, and a nomination
    commits once instead of twice. Any other queue gets them once the transaction has committed,
    so that nothing is sent of a change that did not happen."""
    if event not in EVENTS:
        return
    from nominations.tasks import send_nomination_email

    enqueue = partial(send_nomination_email.enqueue, nomination.pk, str(event))
    if isinstance(send_nomination_email.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def recipients(nomination):
    """(address, language) of the person and of their nation's focal points, each address once."""
    seen = {}
    person = nomination.person
    if person.email:
        seen[person.email.lower()] = (person.email, person.language)
    focal_points = User.objects.filter(role=Role.FOCAL_POINT, nation_id=nomination.nation_id, is_active=True).exclude(
        email=""
    )
    for user in focal_points:
        seen.setdefault(user.email.lower(), (user.email, user.language))
    return list(seen.values())


def send(nomination, event):
    sent = 0
    for address, language in recipients(nomination):
        with translation.override(language):
            path = reverse("nominations:detail", args=[nomination.pk])
            context = {
                "nomination": nomination,
                "offering": nomination.offering,
                "person": nomination.person,
                "event": event,
                "url": settings.SITE_URL + path,
                "reason": _last_reason(nomination),
                "centre_name": settings.CENTRE_NAME_AR if language == "ar" else settings.CENTRE_NAME_EN,
            }
            subject = render_to_string("nominations/email/subject.txt", context).strip()
            body = render_to_string("nominations/email/body.txt", context)
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return sent


def _last_reason(nomination):
    event = nomination.events.order_by("-at", "-id").first()
    return event.reason if event else ""
