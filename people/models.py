from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import normalize
from core.i18n import localized, reading_order
from core.search import Searchable, SearchQuerySet, search_filter
from core.visibility import ScopedQuerySet, nation_id_of, sees_all_nations

# Phonetic name keys share the search column with the words; the prefix keeps them apart.
KEY_MARK = "0"


def _name_key_terms(word):
    from people.matching import name_keys  # the matcher is plain Python; loaded on first use

    return [KEY_MARK + key for key in name_keys(word)]


def name_words(text):
    """The words of a name that tell it apart: one- and two-letter words (Al, El, بن) are in
    nearly every name, and their prefix search reads a large part of the index."""
    return [word for word in normalize.words(text) if len(word) > 2]


def by_name(prefix=""):
    """Ordering by the name in the reader's script first (Arabic readers expect Arabic order)."""
    return reading_order("name", prefix)


class PersonQuerySet(ScopedQuerySet, SearchQuerySet):
    def current(self):
        """People not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def visible_to(self, user):
        """Staff and observers see everyone; a focal point their nation's people; an instructor
        the people on the rosters they teach; a participant their own record."""
        people = self.current()
        if sees_all_nations(user):
            return people
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return people.none()
        if getattr(user, "is_focal_point", False):
            return people.filter(nation_id=nation_id_of(user))
        if getattr(user, "role", None) != "instructor":
            return people.filter(user=user)
        from nominations.models import Nomination
        from training.models import Offering

        # One list of ids (see Nomination.visible_to): either of two conditions tested every person.
        taught = Offering.instructors.through.objects.filter(user=user).values("offering_id")
        rostered = Nomination.objects.filter(offering_id__in=taught).values("person_id")
        return people.filter(pk__in=Person.objects.filter(user=user).values("pk").union(rostered))

    def search(self, query, ordered=None, whole=False, page=None):
        """Words in either script; a name also finds its other spellings and its other script.
        Short words are left out when the query has longer ones (see `name_words`). `whole`: the
        list is everyone but merged records, which a common name's count may be judged against
        (core.search._surely_many). `page`: as core.search.match_groups takes it."""
        meaningful = name_words(query)
        if meaningful and len(meaningful) < len(normalize.words(query)):
            query = " ".join(meaningful)
        return search_filter(self, query, expand=_name_key_terms, ordered=ordered, whole=whole, page=page)


class Person(Searchable):
    nation = models.ForeignKey(
        "partners.Nation", verbose_name=_("nation"), on_delete=models.PROTECT, related_name="people"
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (Latin script)"), max_length=200, blank=True)
    rank = models.CharField(_("rank or title"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language for messages"),
        max_length=2,
        choices=[("ar", _("Arabic")), ("en", _("English"))],
        default="ar",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    search_index_excludes = "merged_into_id"

    class Meta:
        ordering = ["name_en", "name_ar", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["nation", "name_en"], name="person_nation_name"),
            models.Index(fields=["name_en"], name="person_name_en"),
            models.Index(fields=["email"], name="person_email"),
            # A nation's current people in registry order: counting a focal point's list visited
            # each of their 47,000 rows for whether it was merged (60 to 90 ms a page).
            models.Index(fields=["nation", "id"], condition=Q(merged_into__isnull=True), name="person_nation_current"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name_ar="", name_en=""), name="person_has_a_name"),
        ]

    def __str__(self):
        return self.name or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("people:detail", args=[self.pk])

    @property
    def name(self):
        return localized(self, "name")

    @property
    def other_name(self):
        """The name in the script not shown first, if the record has both."""
        name = self.name
        other = self.name_en if name == self.name_ar else self.name_ar
        return other if other and other != name else ""

    def search_texts(self):
        return [self.name_ar, self.name_en, self.email, self.phone, self.position, self.organization, self.rank]

    def refresh_search_document(self):
        from people.matching import name_keys

        keys = name_keys(self.name_ar) + name_keys(self.name_en)
        words = normalize.document(*self.search_texts())
        self.search_document = " ".join([words, *dict.fromkeys(KEY_MARK + key for key in keys)]).strip()


class PersonMerge(models.Model):
    """One merge of a duplicate record into the one that stays, as it was at the time."""

    survivor = models.ForeignKey(Person, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, verbose_name=_("merged record"), on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    snapshot = models.JSONField(_("merged record as it was"), default=dict)
    moved = models.JSONField(_("what moved"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("merge of people")
        verbose_name_plural = _("merges of people")

    def __str__(self):
        return f"{self.merged_id} → {self.survivor_id}"
