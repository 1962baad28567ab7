"""make bench reuses a data set only where it is."""

from bench import run


def test_a_marker_without_its_data_set_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "OUT", tmp_path)
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    store = run.Store(0.01, 7)
    assert not store._built()
    store.marker.write_text('{"scale": 0.01, "seed": 7}')
    assert not store._built()  # the marker alone: its data set was deleted
    store.pristine.write_bytes(b"")
    assert store._built()


def test_a_data_set_of_another_version_of_the_generator_is_not_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "OUT", tmp_path)
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    old = run.Store(0.01, 7)
    old.marker.write_text('{"scale": 0.01, "seed": 7}')
    old.pristine.write_bytes(b"")
    monkeypatch.setattr(run, "DATASET_VERSION", run.DATASET_VERSION + 1)
    assert not run.Store(0.01, 7)._built()
