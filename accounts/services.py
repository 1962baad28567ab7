from django.db import transaction

from accounts.models import User

PROFILE_FIELDS = {"first_name", "last_name", "email", "language"}


@transaction.atomic
def user_update_profile(*, user, **fields):
    user = User.objects.select_for_update().get(pk=user.pk)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"unknown field {name}")
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=list(fields))
    return user
