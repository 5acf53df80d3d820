"""Rebuild ``src/haechi/esg/data/grid_factors.csv`` (developer tool, run by hand).

Usage: python scripts/build_grid_factors.py GLOBAL_ENERGY_MIX_JSON ISO3166_1_JSON

* GLOBAL_ENERGY_MIX_JSON: ``codecarbon/data/private_infra/global_energy_mix.json`` from the
  codecarbon 3.3.2 wheel (MIT; Our World in Data / Ember based). Read with
  ``pip download --no-deps codecarbon==3.3.2`` and unzip; Haechi never imports codecarbon.
* ISO3166_1_JSON: ``pycountry/databases/iso3166-1.json`` (maps ISO alpha-3 to alpha-2).

The Korean official factors and the world fallback are written first, by hand, from
``shared/reference/esg-facts.md`` §1.2–1.3. Countries whose dataset value is zero are
left out (a zero grid intensity is a data gap, not a fact).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src/haechi/esg/data/grid_factors.csv"
CODES = TARGET.with_name(
    "country_codes.json"
)  # ISO 3166-1 alpha-3 -> alpha-2 (CodeCarbon uses alpha-3)
COLUMNS = [
    "id",
    "country",
    "value_tco2e_per_mwh",
    "data_year",
    "published",
    "source",
    "tier",
    "auto",
    "note",
]
DATASET_PUBLISHED = "2026-10-23"  # date of the data file inside the codecarbon 3.3.2 wheel

HAND_WRITTEN = [
    [
        "kr-mcee-2023",
        "KR",
        "0.4173",
        "2023",
        "2025-12-18",
        "kr-mcee-2025",
        "official",
        "yes",
        "single-year consumption-side factor; confirmed 2025-12-17, announced 2025-12-18",
    ],
    [
        "kr-mcee-2020-2022",
        "KR",
        "0.4541",
        "2022",
        "2025-03-31",
        "kr-mcee-2025-03",
        "official",
        "yes",
        "2020-2022 average announced March 2025; day not confirmed, end of month used so it is "
        "never applied before publication",
    ],
    [
        "kr-ets-legacy",
        "KR",
        "0.45941",
        "2016",
        "",
        "kr-ets-guideline",
        "legacy",
        "no",
        "ETS reporting guideline table 69; base years 2014-2016 UNCERTAIN; "
        "publication date unknown, "
        "so only used when chosen explicitly",
    ],
    [
        "world-iea-2019",
        "WORLD",
        "0.475",
        "2019",
        "",
        "iea-2019",
        "fallback",
        "no",
        "world average used only as an explicit, flagged fallback; "
        "published in 2019, day not confirmed",
    ],
]


def main() -> None:
    mix = json.loads(Path(sys.argv[1]).read_text())
    iso = {c["alpha_3"]: c["alpha_2"] for c in json.loads(Path(sys.argv[2]).read_text())["3166-1"]}
    rows = list(HAND_WRITTEN)
    for code, entry in sorted(mix.items(), key=lambda kv: iso.get(kv[0], kv[0])):
        intensity = entry.get("carbon_intensity")
        if not intensity or code not in iso:
            continue
        alpha2 = iso[code]
        # KR has official factors; the dataset value is kept for comparison only.
        auto = "no" if alpha2 == "KR" else "yes"
        rows.append(
            [
                f"{alpha2.lower()}-owid-{entry['year']}",
                alpha2,
                f"{intensity / 1000:.6f}".rstrip("0").rstrip("."),
                str(entry["year"]),
                DATASET_PUBLISHED,
                "codecarbon-owid",
                "dataset",
                auto,
                f"{entry['country_name']}; {intensity} gCO2e/kWh in the source",
            ]
        )
    with TARGET.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    codes = {alpha3: alpha2 for alpha3, alpha2 in sorted(iso.items())}
    CODES.write_text(json.dumps(codes, indent=0, sort_keys=True) + "\n")
    print(f"wrote {len(rows)} factors to {TARGET} and {len(codes)} country codes to {CODES}")


if __name__ == "__main__":
    main()
