"""The benchmark's table and the machine figures it reports with it."""

import pytest
from django.db import connection

from bench import measure


def _results(machine):
    row = {"p50_ms": 6.08, "p95_ms": 9.0, "queries": 3, "errors": 0}
    return {
        "dataset": {"offerings": 100, "people": 450, "nominations": 1000},
        "database": "postgresql",
        "machine": machine,
        "scenarios": {"floor": {**row, "p50_ms": 2.0, "queries": 0}, "people_search": row},
        "rush": None,
    }


def test_the_ratio_to_the_floor_shows_whether_it_is_within_three_times(capsys):
    measure.print_table(_results({"cpus": 2, "idle": "haltpoll", "round_trip_us": 108.4, "shared_buffers": "128MB"}))
    out = capsys.readouterr().out
    # 3.04 rounded to one decimal read "3.0", as if the target were met.
    assert out.splitlines()[-1].split()[4] == "3.04"
    assert "2 processors (idle driver haltpoll), a round trip to the database 108.4 µs, shared_buffers 128MB" in out


@pytest.mark.django_db
def test_the_machine_figures_name_the_database_round_trip_on_postgresql(monkeypatch, tmp_path):
    monkeypatch.setattr(measure, "ROUND_TRIPS", 20)
    driver = tmp_path / "current_driver"
    driver.write_text("haltpoll\n")
    monkeypatch.setattr(measure, "IDLE_DRIVER", driver)
    found = measure.machine(connection.vendor)
    assert found["cpus"] >= 1
    assert found["idle"] == "haltpoll"
    if connection.vendor == "postgresql":
        assert found["round_trip_us"] > 0
        assert found["shared_buffers"].endswith("B")
    else:
        assert set(found) == {"cpus", "idle"}


def test_a_machine_that_does_not_name_its_idle_driver_is_reported_without_one(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(measure, "IDLE_DRIVER", tmp_path / "missing")
    monkeypatch.setattr(measure.os, "cpu_count", lambda: 2)
    measure.print_table(_results(measure.machine("sqlite")))
    assert "\n2 processors\n" in capsys.readouterr().out
