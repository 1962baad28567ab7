from datetime import datetime, time

from django.dispatch import receiver
from django.utils import timezone

from training.models import Status
from training.signals import offering_transitioned


@receiver(offering_transitioned)
def outcomes_on_completion(sender, offering, by=None, on=None, **kwargs):
    if offering.status != Status.COMPLETED:
        return
    from attendance.services import record_outcomes

    at = timezone.make_aware(datetime.combine(on, time(17))) if on else None
    record_outcomes(offering, by=by, at=at)
