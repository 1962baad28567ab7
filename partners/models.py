from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import BilingualNameMixin
from core.visibility import ScopedQuerySet


class ReferenceQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.all()


class Nation(BilingualNameMixin, models.Model):
    code = models.CharField(_("ISO code"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("nation")
        verbose_name_plural = _("nations")

    def __str__(self):
        return self.name


class PartnershipGroup(BilingualNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    nations = models.ManyToManyField(Nation, through="Membership", related_name="groups")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("partnership group")
        verbose_name_plural = _("partnership groups")

    def __str__(self):
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(PartnershipGroup, on_delete=models.CASCADE, verbose_name=_("group"))
    nation = models.ForeignKey(Nation, on_delete=models.CASCADE, verbose_name=_("nation"))
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "nation"], name="membership_unique")]
        ordering = ["group", "joined_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.nation} – {self.group}"


class Area(BilingualNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("partnership area")
        verbose_name_plural = _("partnership areas")

    def __str__(self):
        return self.name


class Organisation(BilingualNameMixin, models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        INTERNATIONAL = "international", _("International body")
        ACADEMIC = "academic", _("Academic institution")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    nation = models.ForeignKey(
        Nation,
        verbose_name=_("nation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Empty for international bodies."),
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name
