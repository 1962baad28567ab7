"""Scores the person-name matcher on its labelled pairs.

    .venv/bin/python bench/matcher_eval.py [--threshold 0.85] [--sweep]

Prints precision, recall and F1 at the threshold, the counts behind them, the share of same-person
pairs that an index on the first and last name keys would bring together (candidate recall), the
time per name_score call, and every misclassified pair with its score.
"""

import argparse
import csv
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from people import matching  # noqa: E402

PAIRS = ROOT / "people" / "tests" / "name_pairs.csv"


def load(path=PAIRS):
    with open(path, encoding="utf-8", newline="") as f:
        return [(row["a"], row["b"], row["same"] == "1") for row in csv.DictReader(f)]


def confusion(scored, threshold):
    tp = sum(1 for _, _, same, score in scored if same and score >= threshold)
    fp = sum(1 for _, _, same, score in scored if not same and score >= threshold)
    fn = sum(1 for _, _, same, score in scored if same and score < threshold)
    tn = len(scored) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return tp, fp, fn, tn, precision, recall, f1


def shares_ends(a, b):
    """Whether each name's first and last keys are among the other's keys."""
    keys_a, keys_b = matching.name_keys(a), matching.name_keys(b)
    if not keys_a or not keys_b:
        return False
    return {keys_a[0], keys_a[-1]} <= set(keys_b) and {keys_b[0], keys_b[-1]} <= set(keys_a)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=matching.THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="also print the metrics at other thresholds")
    args = parser.parse_args()

    pairs = load()
    scored = [(a, b, same, matching.name_score(a, b)) for a, b, same in pairs]
    tp, fp, fn, tn, precision, recall, f1 = confusion(scored, args.threshold)
    same_pairs = [(a, b) for a, b, same in pairs if same]
    together = sum(shares_ends(a, b) for a, b in same_pairs)

    print(f"{len(pairs)} pairs ({len(same_pairs)} same, {len(pairs) - len(same_pairs)} different), ", end="")
    print(f"threshold {args.threshold:.2f}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (TP {tp}, FP {fp}, FN {fn}, TN {tn})")
    print(f"candidate recall (first and last keys shared both ways): {together}/{len(same_pairs)}", end="")
    print(f" = {together / len(same_pairs):.3f}")
    apart = [(a, b) for a, b in same_pairs if not shares_ends(a, b)]

    if args.sweep:
        for step in range(70, 96):
            t = step / 100
            *_, p, r, f = confusion(scored, t)
            print(f"  {t:.2f}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")

    matching._tokens.cache_clear()
    n = 2000
    cold = timeit.timeit(
        lambda: [matching.name_score(a, b) for a, b, _ in pairs] and matching._tokens.cache_clear(), number=5
    )
    warm = timeit.timeit(lambda: [matching.name_score(a, b) for a, b, _ in pairs], number=n // 100)
    cold_us = cold / (5 * len(pairs)) * 1e6
    warm_us = warm / (n // 100 * len(pairs)) * 1e6
    print(f"name_score: {warm_us:.1f} µs per call with both names parsed before, {cold_us:.1f} µs parsing both")

    if apart:
        print("\nsame person, first or last key not shared:")
        for a, b in apart:
            print(f"  {a} {matching.name_keys(a)} | {b} {matching.name_keys(b)}")

    misses = [(a, b, same, score) for a, b, same, score in scored if same != (score >= args.threshold)]
    if misses:
        print("\nmisclassified (label, score, a | b):")
        for a, b, same, score in sorted(misses, key=lambda m: (m[2], -m[3])):
            print(f"  {'same' if same else 'diff'}  {score:.3f}  {a} | {b}")


if __name__ == "__main__":
    main()
