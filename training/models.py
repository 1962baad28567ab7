from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import choice_label, localized
from core.search import Searchable, SearchQuerySet
from core.visibility import ScopedQuerySet, is_centre_admin, is_centre_staff

LANGUAGE_CHOICES = [("ar", _("Arabic")), ("en", _("English"))]


class CourseQuerySet(ScopedQuerySet, SearchQuerySet):
    def visible_to(self, user):
        if is_centre_staff(user):
            return self.all()
        return self.filter(active=True)


class Course(Searchable):
    code = models.CharField(_("code"), max_length=20, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    area = models.ForeignKey("partners.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="courses")
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ar = models.TextField(_("summary (Arabic)"), blank=True)
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    objectives_ar = models.TextField(_("objectives (Arabic)"), blank=True)
    audience_en = models.TextField(_("audience (English)"), blank=True)
    audience_ar = models.TextField(_("audience (Arabic)"), blank=True)
    prerequisites_en = models.TextField(_("prerequisites (English)"), blank=True)
    prerequisites_ar = models.TextField(_("prerequisites (Arabic)"), blank=True)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), default=5)
    languages = models.CharField(
        _("languages"),
        max_length=10,
        default="en",
        help_text=_("Languages of instruction, comma-separated codes: ar, en."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return f"{self.code} · {self.title}"

    @property
    def title(self):
        return localized(self, "title")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def objectives(self):
        return localized(self, "objectives")

    @property
    def audience(self):
        return localized(self, "audience")

    @property
    def prerequisites(self):
        return localized(self, "prerequisites")

    @property
    def language_list(self):
        return [code for code in self.languages.split(",") if code]

    def get_language_labels(self):
        names = dict(LANGUAGE_CHOICES)
        return [names[c] for c in self.language_list if c in names]

    def search_texts(self):
        return [self.code, self.title_en, self.title_ar, self.summary_en, self.summary_ar]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for nominations")
    CLOSED = "closed", _("Nominations closed")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


PUBLISHED = [Status.OPEN, Status.CLOSED, Status.RUNNING, Status.COMPLETED, Status.CANCELLED]


class Admission(models.TextChoices):
    DECISION = "decision", _("By the director's decision")
    FIRST_COME = "first_come", _("First come, first served")


# What the head of a page about one offering shows, and what its permissions are decided on.
HEADING_FIELDS = (
    "code",
    "status",
    "admission",
    "start_date",
    "end_date",
    "nomination_deadline",
    "capacity",
    "seats_taken",
    "director_id",
    "area_id",
    "venue_en",
    "venue_ar",
)


class OfferingQuerySet(ScopedQuerySet, SearchQuerySet):
    def visible_to(self, user):
        """Published offerings for everyone; drafts for administrators and for the
        director and instructors of the offering. The catalogue's search trusts that every
        reader sees every published offering (`shown`, Offering.search_hidden): a rule that hid
        some of them must end that."""
        if is_centre_admin(user):
            return self.all()
        published = ~Q(status=Status.DRAFT)  # not an IN list: lets the planner pick the date or area index
        if getattr(user, "is_authenticated", False) and user.is_active:
            # The drafts the user directs or teaches, by id, as plain SQL: built as a subquery of
            # the ORM, this condition cost every page about one offering more than the rest of its
            # query. By id, the whole condition is tested on an index that holds the id and the
            # status; tested on the director's column, a signed-in reader's list read every
            # offering's row (a deep page of the API 125 ms, its count 40).
            offerings, links = Offering._meta.db_table, Offering.instructors.through._meta.db_table
            # The draft status written into the statement, not bound: a prepared statement's
            # generic plan then judges the subquery from the drafts (363 of 100,000 offerings)
            # rather than from any status (16,690), and PostgreSQL kept it (0.08 ms) where it
            # planned an offering's page read anew each time (0.3 ms of planning).
            own = RawSQL(
                f'SELECT "id" FROM "{offerings}" WHERE "status" = \'{Status.DRAFT.value}\' AND ("director_id" = %s '
                f'OR "id" IN (SELECT "offering_id" FROM "{links}" WHERE "user_id" = %s))',
                [user.pk, user.pk],
            )
            return self.filter(published | Q(pk__in=own))
        return self.filter(published)

    def published(self):
        return self.exclude(status=Status.DRAFT)

    def headings(self):
        """Offerings with their course's titles and only the columns a page about one offering
        shows at its head: reading the whole offering and course (their texts in two languages)
        cost a roster more than its own rows."""
        return self.select_related("course").only(
            *HEADING_FIELDS, "course__code", "course__title_en", "course__title_ar", "course__area_id"
        )


class Offering(Searchable):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="offerings")
    # The course's area, kept here so that the catalogue's area filter runs on an index of offerings.
    area = models.ForeignKey(
        "partners.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue_en = models.CharField(_("venue (English)"), max_length=200)
    venue_ar = models.CharField(_("venue (Arabic)"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"))
    admission = models.CharField(_("admission"), max_length=12, choices=Admission.choices, default=Admission.DECISION)
    nomination_deadline = models.DateField(_("nomination deadline"))
    completion_threshold = models.PositiveSmallIntegerField(
        _("completion threshold (%)"),
        default=80,
        help_text=_("Share of days present needed to complete the course."),
    )
    joining_instructions_en = models.TextField(
        _("joining instructions (English)"),
        blank=True,
        help_text=_("Shown to accepted participants: arrival, dress, documents, contacts."),
    )
    joining_instructions_ar = models.TextField(_("joining instructions (Arabic)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Maintained by the nomination services so that lists never count rows per offering.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("director"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directed_offerings",
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        blank=True,
        related_name="taught_offerings",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Searched in the order of its start date; its venue's and course's words are shared by many
    # (core.search).
    search_order = "start_date"
    search_profiles = True
    search_profile_covers = ("status",)  # every list of offerings but an administrator's asks for it
    search_hidden = ("status", f"= '{Status.DRAFT.value}'")  # the catalogue shows every offering but drafts

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "code"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        indexes = [
            models.Index(fields=["status", "start_date"], name="offering_status_start"),
            models.Index(fields=["course", "start_date"], name="offering_course_start"),
            # The catalogue's filters (area, status, month, coming or past), each with its order.
            models.Index(fields=["start_date", "area", "status"], name="offering_start"),
            # With the id, which orders a day's offerings: PostgreSQL read a page of an area's in one
            # state (the API's and the catalogue's lists) from the index alone, not from each row.
            models.Index(fields=["area", "status", "start_date", "id"], name="offering_area_start_id"),
            models.Index(fields=["end_date", "status", "start_date"], name="offering_end"),
            models.Index(fields=["area", "end_date", "status", "start_date"], name="offering_area_end"),
            # The API's order, with the status its readers' visibility tests: a client paging
            # through every offering had each deep page sort them all (100 to 130 ms at page 1,000).
            models.Index(fields=["start_date", "id", "status"], name="offering_start_id"),
            # Those open for nominations, soonest deadline first (the chooser of an offering to
            # nominate to, a focal point's dashboard): PostgreSQL read all 4,235 open offerings'
            # rows to test their deadline and count them (16 ms), where this index holds it all.
            models.Index(fields=["status", "nomination_deadline", "code", "id"], name="offering_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="offering_dates_ordered"),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=models.F("capacity")), name="offering_seats_within_capacity"
            ),
        ]

    def __str__(self):
        return self.code

    # Labels translated once per language (core.i18n.choice_label), not on every call.
    def get_status_display(self):
        return choice_label(Status, self.status)

    def get_admission_display(self):
        return choice_label(Admission, self.admission)

    @property
    def venue(self):
        return localized(self, "venue")

    @property
    def joining_instructions(self):
        return localized(self, "joining_instructions")

    @property
    def seats_left(self):
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_published(self):
        return self.status in PUBLISHED

    def search_texts(self):
        return [self.code]

    def search_shared_texts(self):
        # The course's first: shared documents are stored in the order of their words
        # (pg_profile_fill_sql), so a course's eight venues lie side by side.
        course = self.course
        return [
            course.code,
            course.title_en,
            course.title_ar,
            course.summary_en,
            course.summary_ar,
            self.venue_en,
            self.venue_ar,
        ]


class Quota(models.Model):
    offering = models.ForeignKey(Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="quotas")
    nation = models.ForeignKey("partners.Nation", verbose_name=_("nation"), on_delete=models.PROTECT)
    seats = models.PositiveIntegerField(_("seats"))
    # Accepted nominations of the nation, maintained by the nomination services.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)

    class Meta:
        ordering = ["nation__code"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["offering", "nation"], name="quota_one_per_nation"),
            models.CheckConstraint(condition=Q(seats_taken__lte=models.F("seats")), name="quota_seats_within_quota"),
        ]

    def __str__(self):
        return f"{self.nation.code}: {self.seats}"

    @property
    def seats_left(self):
        return max(self.seats - self.seats_taken, 0)


class OfferingTransition(models.Model):
    """One change of an offering's state: who, when, from, to, why."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["id"]  # the order they were recorded in
        verbose_name = _("offering transition")
        verbose_name_plural = _("offering transitions")

    def __str__(self):
        return f"{self.offering_id}: {self.from_status or '∅'} → {self.to_status}"
