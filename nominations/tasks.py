from django.tasks import task

from nominations import notify
from nominations.models import Nomination


@task()
def send_nomination_email(nomination_id, event):
    nomination = (
        Nomination.objects.select_related("person", "offering", "offering__course", "nation")
        .filter(pk=nomination_id)
        .first()
    )
    return notify.send(nomination, event) if nomination else 0


@task()
def send_offering_cancelled_emails(offering_id):
    active = ["submitted", "accepted", "waitlisted"]
    nominations = Nomination.objects.filter(offering_id=offering_id, status__in=active).select_related(
        "person", "offering", "offering__course", "nation"
    )
    return sum(notify.send(nomination, "cancelled") for nomination in nominations)
