from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import choice_label
from core.visibility import ScopedQuerySet, nation_id_of, sees_all_nations


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Wait-listed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    INCOMPLETE = "incomplete", _("Incomplete")
    NO_SHOW = "no_show", _("No-show")


ACTIVE = [NominationStatus.SUBMITTED, NominationStatus.ACCEPTED, NominationStatus.WAITLISTED]
# What completing an offering turns its accepted nominations into (attendance.services).
OUTCOMES = [NominationStatus.COMPLETED, NominationStatus.INCOMPLETE, NominationStatus.NO_SHOW]


class NominationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Staff and observers see all; a focal point their nation's; an instructor the rosters
        of the offerings they teach; a participant their own."""
        if sees_all_nations(user):
            return self.all()
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if getattr(user, "is_focal_point", False):
            return self.filter(nation_id=nation_id_of(user))
        from people.models import Person
        from training.models import Offering

        own = Q(person_id__in=Person.objects.filter(user=user).values("pk"))
        if getattr(user, "role", None) != "instructor":
            return self.filter(own)
        # The ids of each kind, read apart and joined in one list: joined to the people and the
        # instructors, with DISTINCT, or as two conditions either of which will do, the planner
        # tested every nomination (0.5 to 8 s among 1,200,000); apart, each reads its index.
        taught = Offering.instructors.through.objects.filter(user=user).values("offering_id")
        rostered = Nomination.objects.filter(offering_id__in=taught).values("pk")
        return self.filter(pk__in=Nomination.objects.filter(own).values("pk").union(rostered))

    def with_waitlist_position(self):
        """`waitlist_position`: 1 for the first wait-listed nomination of its offering, and so on."""
        ahead = (
            Nomination.objects.filter(
                offering=OuterRef("offering"),
                status=NominationStatus.WAITLISTED,
                submitted_at__lte=OuterRef("submitted_at"),
            )
            .filter(Q(submitted_at__lt=OuterRef("submitted_at")) | Q(pk__lte=OuterRef("pk")))
            .order_by()
            .values("offering")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waitlist_position=models.Case(
                models.When(status=NominationStatus.WAITLISTED, then=Coalesce(Subquery(ahead), 0)),
                default=None,
                output_field=models.IntegerField(),
            )
        )


class Nomination(models.Model):
    offering = models.ForeignKey(
        "training.Offering", verbose_name=_("offering"), on_delete=models.PROTECT, related_name="nominations"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="nominations"
    )
    # The nation the seat counts against, fixed when the nomination is made.
    nation = models.ForeignKey(
        "partners.Nation", verbose_name=_("nation"), on_delete=models.PROTECT, related_name="nominations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [models.UniqueConstraint(fields=["offering", "person"], name="nomination_one_per_person")]
        indexes = [
            models.Index(fields=["offering", "status", "submitted_at"], name="nomination_offering_queue"),
            # A nation's, newest first, with or without a state, as a focal point's list reads them.
            # With the id in the index, PostgreSQL reads a page's ids from the index alone: without
            # it, it visited each nomination's row up to the page (100 rows, most not in memory,
            # for page 4) and sorted them by id.
            models.Index(fields=["nation", "status", "submitted_at", "id"], name="nomination_nation_status_id"),
            models.Index(fields=["nation", "submitted_at", "id"], name="nomination_nation_recent_id"),
            models.Index(fields=["person", "submitted_at"], name="nomination_person"),
            # Everyone's, newest first, for staff: without it each page of their list sorted all
            # 1,200,000 nominations (125 ms).
            models.Index(fields=["submitted_at", "id"], name="nomination_recent"),
            # Everyone's in one state, newest first: SQLite took every completed one through the
            # nation's index and sorted them (1,100,000; 100 ms).
            models.Index(fields=["status", "submitted_at", "id"], name="nomination_status_recent"),
        ]

    def __str__(self):
        return f"{self.person} → {self.offering}"

    # Labels translated once per language (core.i18n.choice_label), not on every call.
    def get_status_display(self):
        return choice_label(NominationStatus, self.status)

    @property
    def is_active(self):
        return self.status in ACTIVE

    def waitlist_place(self):
        """Its place on the offering's waiting list (1 first), None if not wait-listed: the
        `waitlist_position` of one nomination, without annotating a query for it."""
        if self.status != NominationStatus.WAITLISTED:
            return None
        ahead = Nomination.objects.filter(
            offering_id=self.offering_id, status=NominationStatus.WAITLISTED, submitted_at__lte=self.submitted_at
        ).filter(Q(submitted_at__lt=self.submitted_at) | Q(pk__lte=self.pk))
        return ahead.count()


class NominationEvent(models.Model):
    """One step of a nomination's timeline: who, when, from, to, why."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        DECIDED = "decided", _("Decided")
        AUTOMATIC = "automatic", _("Decided on arrival")
        PROMOTED = "promoted", _("Promoted from the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OUTCOME = "outcome", _("Outcome recorded")
        MERGED = "merged", _("Moved by a merge of people")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=NominationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=NominationStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")
        indexes = [models.Index(fields=["nomination", "at"], name="nomination_event_timeline")]

    def __str__(self):
        return f"{self.nomination_id}: {self.from_status or '∅'} → {self.to_status}"


class NominationImport(models.Model):
    """A spreadsheet of candidates read and checked, waiting for its author to confirm it."""

    offering = models.ForeignKey("training.Offering", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200, blank=True)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet of candidates")
        verbose_name_plural = _("spreadsheets of candidates")

    def __str__(self):
        return f"{self.filename} ({len(self.rows)})"
