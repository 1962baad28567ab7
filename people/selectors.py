"""Reads of people that more than one page or endpoint share."""

from people import matching
from people.models import Person, name_words

# How many records sharing a name's keys are scored. A person who shares every key comes first;
# the looser search (first and last keys only) fills up to this many.
CANDIDATES = 150
COLUMNS = ["id", "nation", "name_ar", "name_en", "rank", "position", "organization", "email", "phone", "language"]


def matches_for_names(*, user, names, nation=None, limit=10, exclude=None):
    """`person_matches` for several names of one person (Arabic and Latin, say): each match
    once, with its best score, best first."""
    found = {}
    for name in names:
        for match in person_matches(user=user, name=name or "", nation=nation, limit=limit, exclude=exclude):
            if match.pk not in found or found[match.pk].score < match.score:
                found[match.pk] = match
    return sorted(found.values(), key=lambda p: (-p.score, p.pk))[:limit]


def person_matches(*, user, name, nation=None, limit=10, exclude=None):
    """People the user may see who may be the person named `name`, best first, each with
    `score` set. Candidates come from the index, then the matcher scores them."""
    keys = matching.name_keys(name)
    if not keys:
        return []
    people = Person.objects.visible_to(user).select_related("nation").only(*COLUMNS, "nation__code")
    if nation is not None:
        people = people.filter(nation=nation)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    # The same spelling first (a common name has hundreds of namesakes by sound alone), then the
    # same sound, then the same sound with a middle name added or missing, or a first name apart.
    words = name_words(name)
    searches = [people.sharing_words(words)] if words else []
    searches.append(people.sharing_keys(keys))
    ends = list(dict.fromkeys([keys[0], keys[-1]]))
    if ends != keys:
        searches.append(people.sharing_keys(ends))
    if len(keys) > 2:
        searches.append(people.sharing_keys(keys[1:]))
    candidates = {}
    for search in searches:
        wanted = CANDIDATES - len(candidates)
        if wanted <= 0:
            break
        found = search.exclude(pk__in=list(candidates)).order_by()[:wanted]
        candidates.update((person.pk, person) for person in found)
    scored = []
    for person in candidates.values():
        person.score = round(matching.person_score(name, person.name_ar, person.name_en), 3)
        if person.score >= matching.THRESHOLD:
            scored.append(person)
    scored.sort(key=lambda p: (-p.score, p.pk))
    return scored[:limit]
