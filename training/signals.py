"""What the catalogue tells other apps, inside the transaction of the change.

`offering_changed`: capacity, quotas or dates may have changed (the nomination services
promote from the waiting list when seats were added). `offering_transitioned`: the offering
moved from `from_status` to its current status.
"""

from django.dispatch import Signal

offering_changed = Signal()
offering_transitioned = Signal()
