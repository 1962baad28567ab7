from django.db import models
from django.utils.translation import gettext_lazy as _

# The nomination states counted, one column each.
STATES = ["submitted", "accepted", "waitlisted", "declined", "withdrawn", "completed", "incomplete", "no_show"]


class NominationCount(models.Model):
    """How many nominations of a year's offerings of one area a nation has in each state.

    Kept by the nomination services in the same transaction as each change, so that a year's
    figures are read from a few hundred rows instead of counted over a million nominations.
    The year is the offering's start year."""

    year = models.PositiveSmallIntegerField(_("year"))
    nation = models.ForeignKey("partners.Nation", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("partners.Area", on_delete=models.CASCADE, related_name="+")
    submitted = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    waitlisted = models.IntegerField(default=0)
    declined = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    incomplete = models.IntegerField(default=0)
    no_show = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("nomination count")
        verbose_name_plural = _("nomination counts")
        constraints = [models.UniqueConstraint(fields=["year", "nation", "area"], name="nomination_count_key")]

    def __str__(self):
        return f"{self.year} {self.nation_id} {self.area_id}"
