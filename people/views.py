from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, refusal
from core.forms import apply_validation_error
from core.tables import page_asked, paginate, sort_queryset
from core.views import staff_required
from core.visibility import get_visible_or_404, is_centre_staff, sees_all_nations
from nominations.models import Nomination
from partners.models import Nation
from people import selectors, services
from people.forms import MergeForm, PeopleFilterForm, PersonForm
from people.models import Person
from people.templatetags import person_rows

# People on a page of the list; a search reads that page with its matches (core.tables.page_asked).
PEOPLE_PAGE = 25


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def person_list(request):
    people = Person.objects.visible_to(request.user)
    form = PeopleFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("nation"):
        people = people.filter(nation=data["nation"])
    # Search results come in registry order unless asked otherwise: the search index reads them
    # in that order (core.search), while ordering thousands of namesakes by name costs more than
    # the search itself.
    default = "id" if data.get("q") else "name"
    columns = {"name": "name_en", "name_ar": "name_ar", "nation": "nation__code", "id": "id"}
    people, sort = sort_queryset(request, people, columns, default)
    if data.get("q"):
        whole = sees_all_nations(request.user) and not data.get("nation")
        ordered, page = {"id": "asc", "-id": "desc"}.get(sort), page_asked(request, PEOPLE_PAGE, person_rows.FIELDS)
        people = people.search(data["q"], ordered=ordered, whole=whole, page=page)
    context = {
        "form": form,
        "page": paginate(request, people, PEOPLE_PAGE, fields=person_rows.FIELDS, searched=bool(data.get("q"))),
        "sort": sort,
        "default_sort": default,
        "nav": "people",
    }
    return render(request, "people/person_list.html", context)


@login_required
def person_detail(request, pk):
    person = get_visible_or_404(Person.objects.select_related("nation"), request.user, pk=pk)
    nominations = (
        Nomination.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("offering", "offering__course")
        .order_by("-submitted_at")
    )
    context = {
        "person": person,
        "nominations": nominations,
        "can_edit": services.can_manage(request.user, person.nation),
        "nav": "people",
    }
    if is_centre_staff(request.user):
        context["duplicates"] = selectors.matches_for_names(
            user=request.user, names=[person.name_ar, person.name_en], nation=person.nation, exclude=person.pk
        )
    return render(request, "people/person_detail.html", context)


@login_required
def person_edit(request, pk=None):
    person = get_visible_or_404(Person, request.user, pk=pk) if pk else None
    if person is None and not (is_centre_staff(request.user) or request.user.is_focal_point):
        raise PermissionDenied(_("Only centre staff and focal points add people."))
    if person is not None and not services.can_manage(request.user, person.nation):
        raise PermissionDenied(_("You may change only your own nation's people."))
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    offering = request.POST.get("offering") or request.GET.get("offering") or ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if person:
                person = services.person_update(by=request.user, person=person, **data)
                messages.success(request, _("The person's record has been saved."))
            else:
                person = services.person_create(by=request.user, **data)
                messages.success(request, _("%(name)s has been added.") % {"name": person})
                if offering:  # on the way to nominating them
                    return redirect(reverse("nominations:create_for", args=[offering]) + f"?person={person.pk}")
            return redirect(_next(request, person.get_absolute_url()))
        except ValidationError as error:
            apply_validation_error(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
    context = {"form": form, "person": person, "next": _next(request, ""), "offering": offering, "nav": "people"}
    return render(request, "people/person_form.html", context)


@login_required
def person_matches(request):
    """The possible duplicates of the names being typed (an htmx fragment)."""
    nation = None
    if request.user.is_focal_point and not is_centre_staff(request.user):
        nation = request.user.nation
    elif request.GET.get("nation"):
        nation = Nation.objects.filter(code=request.GET["nation"]).first()
    names = [request.GET.get(field, "").strip() for field in ("name_ar", "name_en", "name")]
    names = [name for name in names if len(name) >= 2]
    exclude = request.GET.get("exclude", "")
    matches = selectors.matches_for_names(
        user=request.user, names=names, nation=nation, limit=8, exclude=int(exclude) if exclude.isdigit() else None
    )
    context = {"matches": matches, "offering": request.GET.get("offering", ""), "searched": bool(names)}
    return render(request, "people/_matches.html", context)


@staff_required
@require_POST
def person_merge(request, pk):
    survivor = get_visible_or_404(Person, request.user, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the record to merge."))
        return redirect("people:detail", pk=pk)
    merged = get_visible_or_404(Person, request.user, pk=form.cleaned_data["merged"])
    try:
        merge = services.person_merge(
            by=request.user, survivor=survivor, merged=merged, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("Record #%(old)d has been merged into this one; %(n)d nominations moved.")
            % {"old": merged.pk, "n": merge.moved["nominations"]},
        )
    except (ValidationError, DomainError) as error:
        messages.error(request, refusal(error))
    return redirect("people:detail", pk=pk)
