"""Each role's first page: what needs doing now."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils import timezone

from core.search import documents
from core.visibility import is_centre_admin, is_centre_staff
from nominations.models import Nomination, NominationStatus
from reports.models import STATES, NationYearCount
from training.models import Offering, Quota, Status
from training.selectors import from_first_start, open_for_nominations


@login_required
def dashboard(request):
    user = request.user
    if is_centre_staff(user):
        return _director(request)
    if getattr(user, "is_focal_point", False):
        return _focal_point(request)
    if user.role == "participant":
        return _participant(request)
    return redirect("training:catalogue")


def _participant(request):
    """The participant's own page: nominations, joining instructions, certificates, evaluations."""
    from certificates.models import Certificate
    from evaluations.models import Questionnaire

    nominations = list(
        Nomination.objects.visible_to(request.user)
        .select_related("offering", "offering__course")
        .defer(*documents("offering", "offering__course"))
        .order_by("-offering__start_date")
    )
    answered = set(
        Nomination.objects.filter(pk__in=[n.pk for n in nominations], respondent__isnull=False).values_list(
            "pk", flat=True
        )
    )
    with_questionnaire = set(
        Questionnaire.objects.filter(offering__in=[n.offering_id for n in nominations]).values_list(
            "offering_id", flat=True
        )
    )
    waiting = [
        n
        for n in nominations
        if n.status in ("completed", "incomplete")
        and n.offering.status == Status.COMPLETED
        and n.offering_id in with_questionnaire
        and n.pk not in answered
    ]
    today = timezone.localdate()
    context = {
        "person": getattr(request.user, "person", None),
        "upcoming": [n for n in nominations if n.offering.end_date >= today and n.is_active],
        "past": [n for n in nominations if not (n.offering.end_date >= today and n.is_active)],
        "certificates": Certificate.objects.visible_to(request.user).order_by("-issued_at"),
        "evaluations": waiting,
        "nav": "dashboard",
    }
    return render(request, "nominations/dashboard_participant.html", context)


def _focal_point(request):
    nation_id = request.user.nation_id
    today = timezone.localdate()
    offerings = list(open_for_nominations(request.user)[:50])
    quotas = {q.offering_id: q for q in Quota.objects.filter(offering__in=offerings, nation_id=nation_id)}
    per_offering = defaultdict(dict)
    mine = Nomination.objects.visible_to(request.user).order_by()  # the focal point's nation's
    rows = mine.filter(offering__in=offerings).values_list("offering_id", "status").annotate(n=Count("pk"))
    for offering_id, status, n in rows:
        per_offering[offering_id][status] = n
    for offering in offerings:
        offering.my_quota = quotas.get(offering.pk)
        offering.my_counts = per_offering.get(offering.pk, {})
        offering.days_left = (offering.nomination_deadline - today).days
    # From the maintained totals: counted here, a large nation's 70,000 nominations took 75 ms.
    kept = NationYearCount.objects.filter(nation_id=nation_id).aggregate(**{s: Sum(s) for s in STATES})
    totals = {state: n or 0 for state, n in kept.items()}
    context = {
        "offerings": offerings,
        "soon": [o for o in offerings if o.days_left <= 14],
        "totals": [(s, totals.get(s.value, 0)) for s in NominationStatus],
        "nav": "dashboard",
    }
    return render(request, "nominations/dashboard_focal.html", context)


def _director(request):
    live = [Status.OPEN, Status.CLOSED, Status.RUNNING]
    offerings = Offering.objects.visible_to(request.user).select_related("course")
    offerings = from_first_start(offerings, status__in=live)
    if not is_centre_admin(request.user):
        offerings = offerings.filter(director=request.user)
    # The first hundred first, then their nominations counted: counted in the same statement,
    # every live offering's nominations were grouped before the hundred were taken (an
    # administrator's first page took 140 ms on PostgreSQL and 270 on SQLite).
    offerings = list(offerings.defer(*documents("", "course")).order_by("start_date", "code")[:100])
    counts = defaultdict(dict)
    waiting = [NominationStatus.SUBMITTED, NominationStatus.WAITLISTED]
    rows = Nomination.objects.filter(offering__in=[o.pk for o in offerings], status__in=waiting).order_by()
    for offering_id, status, n in rows.values_list("offering_id", "status").annotate(n=Count("pk")):
        counts[offering_id][status] = n
    for offering in offerings:
        offering.to_decide = counts[offering.pk].get(NominationStatus.SUBMITTED, 0)
        offering.waiting = counts[offering.pk].get(NominationStatus.WAITLISTED, 0)
    return render(request, "nominations/dashboard_director.html", {"offerings": offerings, "nav": "dashboard"})
