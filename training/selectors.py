"""Reads of offerings that pages share."""

from django.db import connection

from partners.models import Nation
from training.models import Quota


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
