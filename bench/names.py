"""People's names for the generated data set, from real name parts and their attested Latin
spellings (bench/data/names.json): the same Arabic name comes out in its different spellings,
as it does in the passports the centre receives."""

import json
import random
from bisect import bisect
from itertools import accumulate
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "names.json"

ARAB = {
    "KWT", "BHR", "QAT", "ARE", "SAU", "OMN", "EGY", "JOR", "MAR", "DZA", "TUN", "MRT", "IRQ", "LBN",
    "LBY", "SYR", "YEM", "SDN", "PSE", "DJI", "COM", "SOM",
}  # fmt: skip
TURKIC = {"TUR", "AZE"}
REGIONS = {
    "gulf": {"KWT", "BHR", "QAT", "ARE", "SAU", "OMN", "YEM"},
    "maghreb": {"MAR", "DZA", "TUN", "MRT", "LBY"},
    "egypt": {"EGY", "SDN"},
    "iraq": {"IRQ"},
}


class Picker:
    """Weighted choice from a fixed list, in O(log n)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(accumulate(weights))

    def __call__(self, rng):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _spellings(entry):
    return Picker([latin for latin, _ in entry["latin"]], [w for _, w in entry["latin"]])


class NameMaker:
    def __init__(self):
        data = json.loads(DATA.read_text(encoding="utf-8"))
        self.arab_male = self._arab(data["arab_given_male"])
        self.arab_female = self._arab(data["arab_given_female"])
        self.families = {}
        for region in [*REGIONS, "levant"]:
            entries = [e for e in data["arab_family"] if e.get("region", "levant") == region] or data["arab_family"]
            self.families[region] = self._arab(entries)
        self.latin = {
            key: Picker([n for n, _ in data[key]], [w for _, w in data[key]])
            for key in data
            if key.startswith(("latin", "turkish"))
        }

    @staticmethod
    def _arab(entries):
        return Picker([(e["ar"], _spellings(e)) for e in entries], [e["weight"] for e in entries])

    def _region(self, code):
        return next((region for region, codes in REGIONS.items() if code in codes), "levant")

    def make(self, code, rng):
        """(name in Arabic, name in Latin script, is_woman) for a person of nation `code`."""
        woman = rng.random() < 0.18
        if code in ARAB:
            given = (self.arab_female if woman else self.arab_male)(rng)
            parts = [given]
            if rng.random() < 0.6:
                parts.append(self.arab_male(rng))  # the father's name
            parts.append(self.families[self._region(code)](rng))
            return " ".join(ar for ar, _ in parts), " ".join(latin(rng) for _, latin in parts), woman
        prefix = "turkish" if code in TURKIC else "latin"
        given = self.latin[f"{prefix}_given_{'female' if woman else 'male'}"](rng)
        return "", f"{given} {self.latin[f'{prefix}_family'](rng)}", woman

    def respell(self, name_en, rng):
        """Another way the same person's Latin name gets written (for near-duplicate records)."""
        words = name_en.split()
        swaps = [("Mohammed", "Mohamed"), ("Al-", "Al "), ("ou", "u"), ("ee", "i"), ("Abdul", "Abdel"), ("a", "e")]
        for old, new in rng.sample(swaps, len(swaps)):
            changed = " ".join(words).replace(old, new, 1)
            if changed != name_en:
                return changed
        return name_en


def seeded(seed, *parts):
    return random.Random(f"{seed}:" + ":".join(map(str, parts)))
