import pytest
from django.core.management import call_command

from bench.sweep import sweep


@pytest.mark.django_db
def test_every_page_swept_answers_staff_and_refuses_others_without_failing():
    call_command("generate_dataset", "--scale", "0.001", "--seed", "3")
    for username in ("bench-admin", "bench-observer", "bench-focal-kwt", "bench-instructor-00", "anonymous"):
        statuses = {path: status for _ms, status, path in sweep(username, over=-1)}
        assert len(statuses) >= 30 and all(status < 500 for status in statuses.values()), username
        if username == "bench-admin":  # everything but pages past the small data set's last
            refused = [p for p, s in statuses.items() if s not in (200, 302) and "page=" not in p]
            assert not refused, refused
