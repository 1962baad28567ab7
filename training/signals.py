"""What the catalogue tells other apps, inside the transaction of the change.

`offering_changed`: capacity, quotas or dates may have changed (the nomination services
promote from the waiting list when seats were added); `before` is its (start year, area) before.
`course_changed`: a course was edited; `before_area` is its area before. `offering_transitioned`: the offering
moved from `from_status` to its current status.
"""

from django.dispatch import Signal

offering_changed = Signal()
offering_transitioned = Signal()
course_changed = Signal()
