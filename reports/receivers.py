from django.dispatch import receiver

from reports.counts import recount
from training.signals import course_changed, offering_changed


@receiver(offering_changed)
def offering_moved(sender, offering, before=None, **kwargs):
    """An offering that moved to another year or area takes its nominations' counts along."""
    after = (offering.start_date.year, offering.course.area_id)
    if before is not None and before != after:
        recount(years={before[0], after[0]}, areas={before[1], after[1]})


@receiver(course_changed)
def course_moved(sender, course, before_area=None, **kwargs):
    if before_area is not None and before_area != course.area_id:
        years = {day.year for day in course.offerings.dates("start_date", "year")}
        if years:
            recount(years=years, areas={before_area, course.area_id})
