from django.db import models
from django.utils.translation import gettext_lazy as _

# The nomination states counted, one column each.
STATES = ["submitted", "accepted", "waitlisted", "declined", "withdrawn", "completed", "incomplete", "no_show"]


class StateCounts(models.Model):
    """A count of nominations in each state, one column each."""

    submitted = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    waitlisted = models.IntegerField(default=0)
    declined = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    incomplete = models.IntegerField(default=0)
    no_show = models.IntegerField(default=0)

    class Meta:
        abstract = True


class NominationCount(StateCounts):
    """How many nominations of a year's offerings of one area a nation has in each state.

    Kept by the nomination services in the same transaction as each change, so that a year's
    figures are read from a few hundred rows instead of counted over a million nominations.
    The year is the offering's start year."""

    year = models.PositiveSmallIntegerField(_("year"))
    nation = models.ForeignKey("partners.Nation", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("partners.Area", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("nomination count")
        verbose_name_plural = _("nomination counts")
        constraints = [models.UniqueConstraint(fields=["year", "nation", "area"], name="nomination_count_key")]

    def __str__(self):
        return f"{self.year} {self.nation_id} {self.area_id}"


class NationYearCount(StateCounts):
    """A nation's counts of a year, all areas together: the yearly figures read these 150 rows
    instead of summing the year's 2,000 and more counts by nation on each view."""

    year = models.PositiveSmallIntegerField(_("year"))
    nation = models.ForeignKey("partners.Nation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("nomination count of a nation's year")
        verbose_name_plural = _("nomination counts of nations' years")
        constraints = [models.UniqueConstraint(fields=["year", "nation"], name="nation_year_count_key")]

    def __str__(self):
        return f"{self.year} {self.nation_id}"


class AreaYearCount(StateCounts):
    """An area's counts of a year, all nations together."""

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey("partners.Area", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("nomination count of an area's year")
        verbose_name_plural = _("nomination counts of areas' years")
        constraints = [models.UniqueConstraint(fields=["year", "area"], name="area_year_count_key")]

    def __str__(self):
        return f"{self.year} {self.area_id}"


class OfferingYearCount(models.Model):
    """How many offerings of an area start in a year, whatever their status. Kept by triggers on
    the offerings' table (reports.offerings), so that every way an offering is made, moved or
    removed keeps it: the yearly figures read 15 rows instead of counting a year's 5,000
    offerings on each view."""

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey("partners.Area", on_delete=models.CASCADE, related_name="+")
    offerings = models.IntegerField(_("offerings"), default=0)

    class Meta:
        verbose_name = _("offering count of an area's year")
        verbose_name_plural = _("offering counts of areas' years")
        constraints = [models.UniqueConstraint(fields=["year", "area"], name="offering_year_count_key")]

    def __str__(self):
        return f"{self.year} {self.area_id}"
