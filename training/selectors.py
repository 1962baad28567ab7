"""Reads of offerings that pages share."""

from django.db import connection
from django.http import Http404

from core.plain import Compiled
from core.visibility import FOR_EACH_KIND_OF_USER
from partners.models import Nation
from training.models import Offering, Quota


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
