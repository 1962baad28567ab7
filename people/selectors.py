"""Reads of people that more than one page or endpoint share."""

from people import matching
from people.models import Person

# How many records sharing a name's keys are scored; more only for very common names.
CANDIDATES = 400


def person_matches(*, user, name, nation=None, limit=10, exclude=None):
    """People the user may see who may be the person named `name`, best first, each with
    `score` set. Candidates come from the index (people sharing the name's first and last
    keys, or all its keys), then the matcher scores them."""
    keys = matching.name_keys(name)
    if not keys:
        return []
    people = Person.objects.visible_to(user).select_related("nation")
    if nation is not None:
        people = people.filter(nation=nation)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    ends = list(dict.fromkeys([keys[0], keys[-1]]))
    candidates = {p.pk: p for p in people.sharing_keys(ends).order_by()[:CANDIDATES]}
    if len(keys) > 2 or len(candidates) < limit:
        # A name whose first or last part differs (an added family name, say) can still share the others.
        others = people.sharing_keys(keys[1:] if len(keys) > 2 else keys[:1]).order_by()[:CANDIDATES]
        candidates.update({p.pk: p for p in others})
    scored = []
    for person in candidates.values():
        person.score = round(matching.person_score(name, person.name_ar, person.name_en), 3)
        if person.score >= matching.THRESHOLD:
            scored.append(person)
    scored.sort(key=lambda p: (-p.score, p.pk))
    return scored[:limit]
