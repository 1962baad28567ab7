"""How nominations follow their offering's changes."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from training.models import Status
from training.signals import offering_changed, offering_transitioned


@receiver(offering_changed)
def promote_into_new_seats(sender, offering, **kwargs):
    from nominations.services import promote_after_change

    promote_after_change(offering)


@receiver(offering_transitioned)
def tell_people_of_a_cancellation(sender, offering, on=None, **kwargs):
    if offering.status != Status.CANCELLED or on is not None:
        return  # a cancellation recorded for the past is history, not news
    from nominations.tasks import send_offering_cancelled_emails

    transaction.on_commit(partial(send_offering_cancelled_emails.enqueue, offering.pk))
