"""bench.outside's view of the app's own time in each response."""

import random
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.wsgi import get_wsgi_application

from bench import outside, timed_wsgi


def _get(app, path):
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return started["status"], started["headers"], body


@pytest.mark.django_db
def test_a_response_tells_the_app_s_own_time_and_is_otherwise_unchanged():
    app = get_wsgi_application()
    status, headers, body = _get(timed_wsgi.timed(app), "/en/about/")
    plain_status, plain_headers, plain_body = _get(app, "/en/about/")
    assert status == plain_status == "200 OK"
    assert int(headers.pop("X-App-Us")) > 0
    assert headers.keys() == plain_headers.keys()
    assert b"</footer>" in body and len(body) == len(plain_body)


def test_the_body_is_closed_within_the_app_s_time():
    closed = []

    class Body(list):
        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return Body([b"no", b"ne"])

    status, headers, body = _get(timed_wsgi.timed(app), "/")
    assert (status, body, closed) == ("404 Not Found", b"none", [True])
    assert "X-App-Us" in headers


def test_each_scenario_gets_its_rounds_after_the_warm_up(monkeypatch):
    monkeypatch.setattr(outside.measure, "WARM_UP", 2)
    served = []

    def call(name, app_ms):
        def send():
            served.append(name)
            outside.TimedClient.last_app_ms = app_ms
            return 200, 0, b"x" * 10

        return send

    plan = {"floor": [call("floor", 1.0)] * 5, "people_search": [call("people_search", 4.0)] * 5}
    found = outside.interleaved(plan, 3, random.Random(1))
    assert served.count("floor") == served.count("people_search") == 2 + 3
    assert [app for _t, app, _b in found["people_search"]] == [4.0] * 3
    assert all(size == 10 and total >= 0 for total, _a, size in found["floor"])
