"""Reads of offerings that pages share."""

from django.db import connection
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.plain import Compiled
from core.search import documents
from core.visibility import FOR_EACH_KIND_OF_USER
from partners.models import Nation
from training.models import Offering, Quota, Status


def _visible_offering(user, code):
    return Offering.objects.visible_to(user).filter(code=code).values("pk")


# The offering of a code among those a reader may see: built once for each kind of reader.
_offering_reads = Compiled(_visible_offering, values=1, **FOR_EACH_KIND_OF_USER)


def visible_offering_or_404(user, code):
    """The offering of `code` with its course, if `user` may see it (get_visible_or_404 through a
    read compiled once for each kind of reader: through the ORM, building it cost a roster 1 ms)."""
    try:
        return _offering_reads.one(user, code, model=Offering, related="course")
    except Offering.DoesNotExist:
        raise Http404 from None


def open_for_nominations(user):
    """The offerings `user` sees that take nominations today, soonest deadline first, with their
    course (the chooser of an offering to nominate to, a focal point's dashboard). Read on the
    index of open offerings by deadline (training 0012)."""
    return (
        Offering.objects.visible_to(user)
        .filter(status=Status.OPEN, nomination_deadline__gte=timezone.localdate())
        .select_related("course")
        .defer(*documents("", "course"))
        .order_by("nomination_deadline", "code")
    )


def from_first_start(offerings, **conditions):
    """`offerings` from the first start date of those that meet `conditions` on: the same list
    for those that meet them, read in start order from that date. Current offerings (ending
    from today, or under way) start within the last year or so of twenty; walking the start
    dates to them from the first, the planner tested 94,000 past offerings for a page (90 to
    130 ms), where the bound starts the walk at the first of them (2 ms). The first date is
    read from the conditions' own index: ordered by the start dates themselves (or as their
    MIN), the planner walked them from the first again."""
    first = Offering.objects.filter(**conditions).order_by(Coalesce("start_date", "start_date")).values("start_date")
    return offerings.filter(**conditions, start_date__gte=Subquery(first[:1]))


def quota_rows(offering):
    """[(nation code, seats taken, seats)] of an offering's quotas, by nation code. In plain SQL:
    through the ORM, the join and its order cost a roster 0.4 ms, the database a tenth of that."""
    q = connection.ops.quote_name
    sql = (
        f"SELECT n.{q('code')}, t.{q('seats_taken')}, t.{q('seats')} FROM {q(Quota._meta.db_table)} t "
        f"JOIN {q(Nation._meta.db_table)} n ON n.{q('id')} = t.{q('nation_id')} "
        f"WHERE t.{q('offering_id')} = %s ORDER BY n.{q('code')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [offering.pk])
        return cursor.fetchall()
