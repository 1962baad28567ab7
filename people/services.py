"""The only way person records change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, NotAllowed
from core.visibility import is_centre_staff
from people.models import Person, PersonMerge

FIELDS = {"nation", "name_ar", "name_en", "rank", "position", "organization", "email", "phone", "language", "user"}
# Filled from the merged record where the kept one is blank.
FILLABLE = ["name_ar", "name_en", "rank", "position", "organization", "email", "phone"]


def can_manage(user, nation):
    """Staff manage everyone; a focal point their own nation's people."""
    if is_centre_staff(user):
        return True
    return bool(getattr(user, "is_focal_point", False)) and nation is not None and nation.pk == user.nation_id


def _clean(person):
    for name in FILLABLE:
        setattr(person, name, " ".join(str(getattr(person, name) or "").split()))
    person.email = person.email.lower()
    if not person.name_ar and not person.name_en:
        raise ValidationError({"name_ar": _("Give the name in Arabic, in Latin script, or both.")})
    person.full_clean(exclude=["search_document"])


@transaction.atomic
def person_create(*, by, **fields):
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if getattr(by, "is_focal_point", False) and not is_centre_staff(by):
        if fields.get("nation") not in (None, by.nation):
            raise NotAllowed(_("You may add only your own nation's people."))
        fields["nation"] = by.nation
    if not can_manage(by, fields.get("nation")):
        raise NotAllowed(_("You may add only your own nation's people."))
    if fields.get("nation") is None:
        raise ValidationError({"nation": _("Choose the person's nation.")})
    person = Person(**fields)
    _clean(person)
    person.save()
    return person


@transaction.atomic
def person_update(*, by, person, **fields):
    person = Person.objects.select_for_update().get(pk=person.pk)
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if not can_manage(by, person.nation):
        raise NotAllowed(_("You may change only your own nation's people."))
    if "nation" in fields and fields["nation"] != person.nation and not is_centre_staff(by):
        raise NotAllowed(_("Only centre staff may move a person to another nation."))
    if person.merged_into_id:
        raise DomainError(_("This record was merged into another; change that one."), "merged")
    for name, value in fields.items():
        setattr(person, name, value)
    _clean(person)
    person.save()
    return person


def _snapshot(person):
    return {name: getattr(person, name) for name in [*FILLABLE, "language"]} | {
        "id": person.pk,
        "nation": person.nation.code,
        "user": person.user_id,
    }


@transaction.atomic
def person_merge(*, by, survivor, merged, reason=""):
    """Fold `merged` into `survivor`: its nominations (with their attendance and certificates)
    and its user account move over, blanks of the survivor are filled, and the merge is kept."""
    from nominations.models import Nomination, NominationEvent

    if not is_centre_staff(by):
        raise NotAllowed(_("Only centre staff may merge people."))
    if survivor.pk == merged.pk:
        raise ValidationError({"merged": _("Choose two different people.")})
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update(of=("self",))
        .select_related("nation")
        .filter(pk__in=[survivor.pk, merged.pk])
    }
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if survivor.merged_into_id or merged.merged_into_id:
        raise DomainError(_("One of these records has already been merged."), "merged")
    if survivor.nation_id != merged.nation_id:
        raise DomainError(_("Only people of the same nation can be merged."), "different_nations")
    clash = Nomination.objects.filter(person=merged, offering__nominations__person=survivor)
    if clash.exists():
        codes = ", ".join(clash.values_list("offering__code", flat=True))
        raise DomainError(
            _("Both are nominated to %(offerings)s: withdraw or decline one nomination first.") % {"offerings": codes},
            "both_nominated",
        )
    snapshot = _snapshot(merged)
    moved = list(Nomination.objects.filter(person=merged).select_for_update())
    for nomination in moved:
        NominationEvent.objects.create(
            nomination=nomination,
            kind=NominationEvent.Kind.MERGED,
            from_status=nomination.status,
            to_status=nomination.status,
            by=by,
            reason=_("Moved from record #%(old)d to #%(new)d.") % {"old": merged.pk, "new": survivor.pk},
        )
    Nomination.objects.filter(person=merged).update(person=survivor)
    for name in FILLABLE:
        if not getattr(survivor, name) and getattr(merged, name):
            setattr(survivor, name, getattr(merged, name))
    user = merged.user
    if user is not None and survivor.user_id is None:
        merged.user = None
        merged.save(update_fields=["user"])
        survivor.user = user
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    survivor.save()
    return PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        by=by,
        reason=(reason or "").strip(),
        snapshot=snapshot,
        moved={"nominations": len(moved), "user": user is not None and survivor.user_id == user.pk},
    )
