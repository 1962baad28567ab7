from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST

from attendance import services as attendance
from core.errors import DomainError, refusal
from core.forms import apply_validation_error
from core.i18n import reading_order
from core.tables import page_asked, paginate, sort_queryset
from core.views import is_htmx, staff_required
from core.visibility import get_visible_or_404, is_centre_staff
from training import calendar, selectors, services
from training.forms import CatalogueFilterForm, CourseForm, OfferingForm, QuotaFormSet, TransitionForm
from training.models import Course, Offering, OfferingTransition, Quota, Status
from training.templatetags import offering_cards


def _title_field():
    return reading_order("title", "course__")[0]


def when_of(data):
    """Coming and running offerings unless the filters say otherwise: a status, a month or a
    search looks at every date."""
    if data.get("when"):
        return data["when"]
    return "all" if data.get("status") or data.get("month") or data.get("q") else "upcoming"


# The sorts a search serves in its index's order (core.search).
INDEX_ORDER = {"start": "asc", "-start": "desc"}
CATALOGUE_PAGE = 12


def filter_offerings(queryset, data, sort=None, page=None, shown=False):
    """Apply the catalogue's filters (a valid CatalogueFilterForm's cleaned_data) to offerings
    sorted by `sort`; a search may read the `page` (offset, size) that will be shown with them.
    `shown` says that `queryset` is every offering but drafts: a search that no other filter
    narrows may then read its matches from the index alone (core.search.shown_head)."""
    conditions = len(queryset.query.where.children)
    when = when_of(data)
    if when == "upcoming" and (data.get("area") or data.get("month") or data.get("q")):
        queryset = queryset.filter(end_date__gte=timezone.localdate())
    elif when == "upcoming":  # read in start order: an area's, a month's or a search's have their own
        queryset = selectors.from_first_start(queryset, end_date__gte=timezone.localdate())
    elif when == "past":
        queryset = queryset.filter(end_date__lt=timezone.localdate())
    if data.get("area"):
        queryset = queryset.filter(area=data["area"])
    if data.get("language"):
        # A join, not `course__in` a subquery: SQLite drove that from the courses and walked every
        # offering of each (530 ms); joined, it reads the offerings on the area or date index first.
        queryset = queryset.filter(course__languages__contains=data["language"])
    if data.get("month"):
        first = data["month"].replace(day=1)
        following = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
        queryset = queryset.filter(start_date__gte=first, start_date__lt=following)
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("q"):
        # Last: on PostgreSQL the search reads the list with every condition it has so far, to
        # count it and take its first pages in one read (core.search).
        shown = shown and len(queryset.query.where.children) == conditions  # no filter added
        queryset = queryset.search(data["q"], ordered=INDEX_ORDER.get(sort), page=page, shown=shown)
    return queryset


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    offerings = Offering.objects.visible_to(request.user).published()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    columns = {"start": "start_date", "deadline": "nomination_deadline", "code": "code", "title": _title_field()}
    default = "start" if when_of(data) == "upcoming" else "-start"
    offerings, sort = sort_queryset(request, offerings, columns, default)
    page = page_asked(request, CATALOGUE_PAGE, offering_cards.FIELDS)
    offerings = filter_offerings(offerings, data, sort, page, shown=True)
    searched = bool(data.get("q"))
    context = {
        "form": form,
        "page": paginate(request, offerings, CATALOGUE_PAGE, fields=offering_cards.FIELDS, searched=searched),
        "sort": sort,
        "default_sort": default,
        "nav": "catalogue",
        "today": timezone.localdate(),
    }
    template = "training/_catalogue_results.html" if is_htmx(request) else "training/catalogue.html"
    return render(request, template, context)


def offering_detail(request, code):
    offering = get_visible_or_404(
        Offering.objects.select_related("course", "course__area", "director"), request.user, code=code
    )
    quotas = Quota.objects.filter(offering=offering).select_related("nation")
    context = {
        "offering": offering,
        "course": offering.course,
        "quotas": quotas,
        "nav": "catalogue",
        "today": timezone.localdate(),
    }
    user = request.user
    runs = services.can_run(user, offering)
    context["may_nominate"] = offering.status == Status.OPEN and (
        is_centre_staff(user) or getattr(user, "is_focal_point", False)
    )
    context["sees_roster"] = services.can_see_roster(user, offering)
    context["takes_attendance"] = offering.status in (Status.RUNNING, Status.COMPLETED) and attendance.can_take(
        user, offering
    )
    context["sees_outcomes"] = offering.status == Status.COMPLETED and (runs or getattr(user, "role", "") == "observer")
    if runs:
        context["transitions"] = services.allowed_transitions(offering)
        context["history"] = OfferingTransition.objects.filter(offering=offering).select_related("by")
        context["transition_form"] = TransitionForm()
    return render(request, "training/offering_detail.html", context)


def course_detail(request, code):
    course = get_visible_or_404(Course, request.user, code=code)
    offerings = Offering.objects.visible_to(request.user).published().filter(course=course)
    return render(
        request, "training/course_detail.html", {"course": course, "offerings": offerings, "nav": "catalogue"}
    )


# Calendars poll their subscriptions every hour or so (calendar.REFRESH): each process renders the
# feed at most once in this many seconds for each language.
@cache_page(calendar.KEPT_SECONDS)
def calendar_feed(request):
    # Cancelled offerings stay in the feed, marked so, so that subscribers' calendars drop them.
    # The past goes back a year (calendar.HISTORY): twenty years of offerings made the feed 100,000
    # events long, 8 seconds for each poll of every subscribed calendar.
    since = timezone.localdate() - calendar.HISTORY
    offerings = (
        Offering.objects.visible_to(None)
        .published()
        .filter(end_date__gte=since)
        .order_by("start_date", "pk")
        .select_related("course")
        .only(*calendar.FIELDS)
    )
    body = calendar.render(offerings, request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shiraka.ics"'
    return response


# Staff pages


@staff_required
def course_manage(request):
    courses = Course.objects.visible_to(request.user).select_related("area")
    if request.GET.get("q"):
        courses = courses.search(request.GET["q"])
    title, area = reading_order("title")[0], reading_order("name", "area__")[0]
    courses, sort = sort_queryset(
        request, courses, {"code": "code", "title": title, "area": area, "active": "-active"}, "code"
    )
    return render(
        request, "training/course_manage.html", {"page": paginate(request, courses, 25), "sort": sort, "nav": "manage"}
    )


@staff_required
def course_edit(request, code=None):
    course = get_visible_or_404(Course, request.user, code=code) if code else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if course:
                course = services.course_update(by=request.user, course=course, **data)
                messages.success(request, _("The course has been saved."))
            else:
                course = services.course_create(by=request.user, **data)
                messages.success(request, _("The course has been created."))
            return redirect("training:course_detail", code=course.code)
        except ValidationError as error:
            apply_validation_error(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
    return render(request, "training/course_form.html", {"form": form, "course": course, "nav": "manage"})


@staff_required
def offering_manage(request):
    offerings = (
        Offering.objects.visible_to(request.user)
        .select_related("course", "director")
        .defer("search_document", "course__search_document")
    )
    form = CatalogueFilterForm(request.GET or None)
    form.fields["status"].choices = [("", _("Any status")), *list(Status.choices)]
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    columns = {
        "start": "start_date",
        "code": "code",
        "title": _title_field(),
        "status": "status",
        "deadline": "nomination_deadline",
        "capacity": "capacity",
    }
    offerings, sort = sort_queryset(request, offerings, columns, "start" if when_of(data) == "upcoming" else "-start")
    offerings = filter_offerings(offerings, data, sort)
    return render(
        request,
        "training/offering_manage.html",
        {"page": paginate(request, offerings, 25), "form": form, "sort": sort, "nav": "manage"},
    )


@staff_required
def offering_edit(request, code=None):
    offering = get_visible_or_404(Offering, request.user, code=code) if code else None
    if offering and not services.can_run(request.user, offering):
        raise PermissionDenied(_("Only an administrator or the offering's director may change it."))
    initial_quotas = (
        [
            {"nation": q.nation, "seats": q.seats}
            for q in Quota.objects.filter(offering=offering).select_related("nation")
        ]
        if offering
        else []
    )
    form = OfferingForm(
        request.POST or None, instance=offering, initial=None if offering else {"director": request.user}
    )
    quota_forms = QuotaFormSet(request.POST or None, initial=initial_quotas, prefix="quota")
    if request.method == "POST" and form.is_valid() and quota_forms.is_valid():
        data = dict(form.cleaned_data)
        instructors = data.pop("instructors")
        try:
            if offering:
                offering = services.offering_update(
                    by=request.user, offering=offering, quotas=quota_forms.quotas(), instructors=instructors, **data
                )
                messages.success(request, _("The offering has been saved."))
            else:
                offering = services.offering_create(
                    by=request.user, quotas=quota_forms.quotas(), instructors=instructors, **data
                )
                messages.success(request, _("The offering has been created as a draft."))
            return redirect("training:offering_detail", code=offering.code)
        except ValidationError as error:
            apply_validation_error(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "training/offering_form.html",
        {"form": form, "quota_forms": quota_forms, "offering": offering, "nav": "manage"},
    )


@staff_required
@require_POST
def offering_transition(request, code):
    offering = get_visible_or_404(Offering, request.user, code=code)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid state."))
        return redirect("training:offering_detail", code=code)
    try:
        offering = services.offering_transition(
            by=request.user, offering=offering, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The offering is now “%(status)s”.") % {"status": offering.get_status_display()})
    except (ValidationError, DomainError) as error:
        messages.error(request, refusal(error))
    return redirect("training:offering_detail", code=code)
