"""Where a scenario's time goes, in three parts: SQL, template rendering and the rest (Python
outside templates: ORM query building, forms, serializers, middleware). In-process, on the
benchmark's working copy (build it first with `make bench`):

    python -m bench.split catalogue_list [offering_roster …]"""

import argparse
import gc
import random
import statistics
import time

from bench.profile import LocalClient, setup


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.template import base

    from bench import measure, pools

    spent = {"sql": 0.0, "template": 0.0}
    render, depth = base.Template.render, [0]

    def timed_render(self, context):
        depth[0] += 1
        started = time.perf_counter()
        try:
            return render(self, context)
        finally:
            depth[0] -= 1
            if depth[0] == 0:  # included templates are inside their parent's time
                spent["template"] += time.perf_counter() - started

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started

    base.Template.render = timed_render
    plan = pools.scenarios(0, random.Random(1), args.requests + 10, LocalClient, measure._session, measure._token)
    # The plan's many objects would otherwise make each garbage collection slower than a
    # server worker's, whatever scenarios were asked for.
    gc.freeze()
    for name in args.scenarios:
        calls = plan[name]
        for call in calls[:10]:
            call()
        totals, sqls, templates = [], [], []
        with connection.execute_wrapper(timed_sql):
            for call in calls[10:]:
                spent["sql"] = spent["template"] = 0.0
                started = time.perf_counter()
                call()
                totals.append((time.perf_counter() - started) * 1000)
                sqls.append(spent["sql"] * 1000)
                templates.append(spent["template"] * 1000)
        total, sql, template = (statistics.median(v) for v in (totals, sqls, templates))
        print(f"{name:<26} p50 {total:6.1f} ms   SQL {sql:6.1f}   templates {template:6.1f}   "
              f"rest {total - sql - template:6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
