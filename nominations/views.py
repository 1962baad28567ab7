from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, refusal
from core.plain import Compiled
from core.tables import paginate, paginate_ids, sort_fields
from core.views import is_htmx
from core.visibility import FOR_EACH_KIND_OF_USER, get_visible_or_404, is_centre_staff
from nominations import services
from nominations.forms import DecisionForm, NominationFilterForm, ReasonForm, filter_nominations
from nominations.models import Nomination, NominationEvent, NominationStatus
from nominations.templatetags import nomination_rows
from people import selectors
from people.models import Person
from reports.figures import visible_nominations_kept
from training.forms import CatalogueFilterForm
from training.models import Offering, Quota, Status
from training.selectors import open_for_nominations, quota_rows, visible_offering_or_404
from training.services import can_see_roster


def _may_nominate(user):
    return is_centre_staff(user) or getattr(user, "is_focal_point", False)


LIST_COLUMNS = {
    "submitted": "submitted_at",
    "person": "person__name_en",
    "offering": "offering__code",
    "start": "offering__start_date",
    "status": "status",
    "nation": "nation__code",
}


@login_required
def nomination_list(request):
    nominations = Nomination.objects.visible_to(request.user)
    form = NominationFilterForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        nominations = form.apply(nominations)
    order, sort = sort_fields(request, LIST_COLUMNS, "-submitted")
    nominations = nominations.order_by(*order)
    counted = _kept(request.user, form)
    context = {
        "form": form,
        "page": paginate(
            request,
            nominations,
            25,
            fields=nomination_rows.FIELDS,
            counted=counted,
            ids_sql=_page_ids(request.user, form, order) if counted is not None else None,
            # Filtered by status or nation alone, newest or oldest first: an index matches each.
            one_plan=counted is not None and order[0].lstrip("-") == "submitted_at",
        ),
        "sort": sort,
        # Asked once here: a template asking for a field the form lacks fails a lookup per row.
        "by_nation": "nation" in form.fields,
        "nav": "nominations",
    }
    return render(request, "nominations/nomination_list.html", context)


def _page_of(shape, *values):
    """The ids of a page of nominations the reader sees, filtered and ordered (see _page_ids)."""
    user, filters, order, bottom, size = shape
    nominations = filter_nominations(Nomination.objects.visible_to(user), dict(zip(filters, values, strict=True)))
    return nominations.order_by(*order)[bottom : bottom + size].values_list("pk", flat=True)


def _shape_key(shape):
    return (FOR_EACH_KIND_OF_USER["key"](shape[0]), *shape[1:])


def _shape_stand_in(shape):
    return (FOR_EACH_KIND_OF_USER["stand_in"](shape[0]), *shape[1:])


def _shape_marked(shape):
    return FOR_EACH_KIND_OF_USER["marked"](shape[0])


# A page of a nomination list filtered by none, one or both of status and nation: built once
# for each kind of reader, filters, order and page. Building and compiling it cost a focal
# point's list 0.3 ms a page, a third of what the database took to answer.
_pages = {
    count: Compiled(_page_of, values=count, key=_shape_key, stand_in=_shape_stand_in, marked=_shape_marked)
    for count in range(3)
}


def _page_ids(user, form, order):
    """For a list filtered by status or nation alone (what _kept counts): (offset, size) → (SQL,
    params) of the ids of that page, compiled once (see _pages)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = tuple(field for field in ("status", "nation") if data.get(field))
    values = [data[field] for field in filters]
    return lambda bottom, size: _pages[len(filters)].statement((user, filters, order, bottom, size), *values)


def _kept(user, form):
    """The list's count from the maintained totals, where its filters allow: all of a nation's
    nominations, or everyone's, in one state or in all (None where they do not)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("q") or data.get("offering"):
        return None
    return visible_nominations_kept(user, nation_id=data.get("nation"), status=data.get("status"))


@login_required
def nomination_detail(request, pk):
    events = NominationEvent.objects.select_related("by")
    nomination = get_visible_or_404(
        Nomination.objects.select_related("person", "nation", "offering", "offering__course").prefetch_related(
            Prefetch("events", queryset=events)
        ),
        request.user,
        pk=pk,
    )
    context = {
        "nomination": nomination,
        "can_decide": services.can_run(request.user, nomination.offering),
        "can_withdraw": services.can_withdraw(request.user, nomination) and nomination.is_active,
        "nav": "nominations",
    }
    return render(request, "nominations/nomination_detail.html", context)


def _choose_offering(request):
    """The offerings open for nominations, soonest deadline first, a page at a time and found by
    title, code or venue: all of them on one page were thousands (half a second to draw)."""
    form = CatalogueFilterForm(request.GET or None)
    query = form.cleaned_data.get("q") if form.is_bound and form.is_valid() else ""
    offerings = open_for_nominations(request.user)
    if query:
        offerings = offerings.search(query)
    context = {"page": paginate(request, offerings, 25), "form": form, "nav": "nominations"}
    return render(request, "nominations/choose_offering.html", context)


@login_required
def nominate(request, code=None):
    """Choose a person (by name, with possible duplicates shown) and nominate them to an offering."""
    if not _may_nominate(request.user):
        raise PermissionDenied(_("Only focal points and centre staff nominate."))
    code = code or request.POST.get("offering") or request.GET.get("offering")
    if not code:
        return _choose_offering(request)
    offering = get_visible_or_404(Offering.objects.select_related("course"), request.user, code=code)
    person = None
    person_id = request.POST.get("person") or request.GET.get("person")
    if person_id:
        if not str(person_id).isdigit():
            raise Http404
        person = get_visible_or_404(Person, request.user, pk=int(person_id))
    error = None
    late = services.deadline_passed(offering) or offering.status == Status.CLOSED
    if request.method == "POST" and person is not None:
        try:
            nomination = services.nomination_submit(
                by=request.user, offering=offering, person=person, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                _("%(person)s is nominated: %(status)s.")
                % {"person": person, "status": nomination.get_status_display()},
            )
            return (
                redirect("nominations:create_for", code=offering.code)
                if request.POST.get("another")
                else redirect("nominations:detail", pk=nomination.pk)
            )
        except (ValidationError, DomainError) as exc:
            error = refusal(exc)
    context = {
        "offering": offering,
        "person": person,
        "error": error,
        "late": late,
        "staff": is_centre_staff(request.user),
        "quota": _my_quota(request.user, offering),
        "mine": _my_nominations(request.user, offering),
        "nav": "nominations",
    }
    return render(request, "nominations/nominate.html", context)


def _my_quota(user, offering):
    if getattr(user, "is_focal_point", False):
        return Quota.objects.filter(offering=offering, nation_id=user.nation_id).first()
    return None


def _my_nominations(user, offering):
    return (
        Nomination.objects.visible_to(user)
        .filter(offering=offering)
        .select_related("person", "nation")
        .order_by("submitted_at", "id")
    )


@login_required
def candidates(request, code):
    """People to nominate, for the name being typed: possible same people first (scored), then
    other records whose names begin so (an htmx fragment)."""
    if not _may_nominate(request.user):
        raise PermissionDenied
    offering = get_visible_or_404(Offering, request.user, code=code)
    name = request.GET.get("name", "").strip()
    found = []
    if len(name) >= 2:
        nation = request.user.nation if not is_centre_staff(request.user) else None
        found = selectors.person_matches(user=request.user, name=name, nation=nation, limit=8)
        seen = {p.pk for p in found}
        extra = Person.objects.visible_to(request.user).search(name).select_related("nation").order_by("name_en")[:10]
        found += [p for p in extra if p.pk not in seen][: max(0, 10 - len(found))]
    taken = set(
        Nomination.objects.visible_to(request.user)
        .filter(offering=offering, person__in=[p.pk for p in found])
        .values_list("person", flat=True)
    )
    context = {"people": found, "taken": taken, "offering": offering, "name": name}
    return render(request, "nominations/_candidates.html", context)


def _back_to(request, nomination):
    if request.POST.get("from") == "roster":
        return redirect("nominations:roster", code=nomination.offering.code)
    return redirect("nominations:detail", pk=nomination.pk)


@login_required
@require_POST
def decide(request, pk):
    nomination = get_visible_or_404(Nomination.objects.select_related("offering"), request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            nomination = services.nomination_decide(by=request.user, nomination=nomination, **form.cleaned_data)
            messages.success(
                request,
                _("%(person)s: %(status)s.") % {"person": nomination.person, "status": nomination.get_status_display()},
            )
        except (ValidationError, DomainError) as exc:
            messages.error(request, refusal(exc))
    else:
        messages.error(request, _("Choose accept, waitlist or decline."))
    if is_htmx(request) and request.POST.get("from") == "roster":
        return _roster(request, nomination.offering, request.POST.get("status"), fragment=True)  # the tab, kept
    return _back_to(request, nomination)


@login_required
@require_POST
def withdraw(request, pk):
    nomination = get_visible_or_404(Nomination.objects.select_related("offering"), request.user, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.nomination_withdraw(by=request.user, nomination=nomination, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("The nomination has been withdrawn."))
    except DomainError as exc:
        messages.error(request, refusal(exc))
    return _back_to(request, nomination)


@login_required
def roster(request, code):
    """An offering's nominations, as its director decides them."""
    offering = visible_offering_or_404(request.user, code)
    if not can_see_roster(request.user, offering):
        raise Http404
    return _roster(request, offering, request.GET.get("status"), fragment=is_htmx(request))


def _roster_nominations(user, offering_id):
    mine = Nomination.objects.visible_to(user).filter(offering_id=offering_id).order_by("submitted_at", "id")
    return mine.values_list("pk", "status", "nation__code")


# Built once for each kind of reader: through the ORM, building the read cost the roster more
# than the database took to answer it.
_roster_reads = Compiled(_roster_nominations, values=1, **FOR_EACH_KIND_OF_USER)


def _roster(request, offering, status, fragment):
    if status not in NominationStatus.values:
        status = None
    # One read of the roster's nominations, in order, gives the counts by status and nation, the
    # places on the waiting list and the page's ids: a roster holds tens of nominations, and
    # three queries for them cost more than reading them all. (Who may see a roster sees all of
    # its nominations, so the places are the offering's queue.)
    counts, accepted_by_nation, listed, places = Counter(), Counter(), [], {}
    for pk, state, code in _roster_reads.rows(request.user, offering.pk):
        counts[state] += 1
        if state == NominationStatus.ACCEPTED:
            accepted_by_nation[code] += 1
        elif state == NominationStatus.WAITLISTED:
            places[pk] = len(places) + 1
        if status is None or state == status:
            listed.append(pk)
    quotas = quota_rows(offering)
    page = paginate_ids(request, listed, Nomination, 50, nomination_rows.ROSTER_FIELDS)
    quota_codes = {code for code, _taken, _seats in quotas}
    context = {
        "offering": offering,
        "page": page,
        "places": places,
        # Written here as the badges and tabs show them: in template loops, the numbers' and the
        # labels' formatting cost more than the rest of the heading.
        "tabs": [(s.value, str(s.label), counts[s.value]) for s in NominationStatus if counts.get(s.value)],
        "status": status,
        "quotas": [f"{code} {taken}/{seats}" for code, taken, seats in quotas],
        "accepted_by_nation": [
            f"{code} · {n}" for code, n in sorted(accepted_by_nation.items()) if code not in quota_codes
        ],
        "can_decide": services.can_run(request.user, offering) and offering.status in services.LIVE,
        "nav": "manage",
    }
    template = "nominations/_roster_table.html" if fragment else "nominations/roster.html"
    return render(request, template, context)
