from django.dispatch import receiver

from training.models import Status
from training.signals import offering_transitioned


@receiver(offering_transitioned)
def questionnaire_on_completion(sender, offering, **kwargs):
    if offering.status == Status.COMPLETED:
        from evaluations.services import questionnaire_create

        questionnaire_create(offering=offering)
