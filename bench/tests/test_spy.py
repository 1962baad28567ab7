from bench.spy import shares

SAMPLES = [
    # The warm-up: left out, however many samples it has.
    "<module> (bench/spy.py:9);_run (bench/spy.py:30);view (app/views.py:3) 50",
    "<module> (bench/spy.py:9);_measured (bench/spy.py:24);view (app/views.py:3);render (django/base.py:7) 2",
    "<module> (bench/spy.py:9);_measured (bench/spy.py:24);view (app/views.py:4);render (django/base.py:8);"
    "render (django/base.py:7) 1",
    "<module> (bench/spy.py:9);_measured (bench/spy.py:24);view (app/views.py:5);execute (db/utils.py:2) 1",
]


def test_each_function_has_its_share_of_the_measured_samples_counted_once_however_deep():
    found = {function: share for share, function in shares(SAMPLES)}
    assert found["view (views.py)"] == 1.0
    assert found["render (base.py)"] == 0.75
    assert found["execute (utils.py)"] == 0.25
    assert "_run (spy.py)" not in found and "_measured (spy.py)" not in found


def test_largest_first_and_nothing_without_measured_samples():
    assert shares(SAMPLES)[0] == (1.0, "view (views.py)")
    assert [function for _, function in shares(SAMPLES)][-1] == "execute (utils.py)"
    assert shares(SAMPLES[:1]) == []
