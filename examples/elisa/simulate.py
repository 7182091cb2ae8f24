#!/usr/bin/env python3
"""Simulates the VEGF ELISA example plate (examples/elisa/README.md).

A 96-well plate of platelet-lysate VEGF: 8-point standards in duplicate
(15.625-2000 pg/mL), 4 blanks, two QCs in duplicate and 24 samples in
duplicate (POEMS n = 18, healthy n = 6), each lysate diluted 1:2. Readings
are OD450-570 from a true 4PL with 4% multiplicative and 0.004 additive noise,
rounded to 3 decimals as a reader prints them. Planted: one POEMS lysate far
above the curve (reader over-range, OD 3.9), one above the top standard, and
one healthy lysate below the lowest standard.

Writes plate.csv (one row per well) and the same plate as layout.csv +
readings.csv (8 x 12 grids). Run: python3 simulate.py (numpy; seed fixed).
"""

import csv
import numpy as np

SEED = 20240501
TRUTH = dict(a=0.040, b=1.05, c=900.0, d=3.40)  # blank-corrected 4PL
BLANK_OD = 0.048
STANDARDS = [2000.0, 1000.0, 500.0, 250.0, 125.0, 62.5, 31.25, 15.625]
QCS = [("QC-low", 100.0), ("QC-high", 800.0)]
ROWS = "ABCDEFGH"


def four_pl(x):
    t = TRUTH
    return t["d"] + (t["a"] - t["d"]) / (1.0 + (x / t["c"]) ** t["b"])


def main():
    rng = np.random.default_rng(SEED)

    def read(conc):
        mean = four_pl(conc) + BLANK_OD
        od = mean * (1.0 + 0.04 * rng.standard_normal()) + 0.004 * rng.standard_normal()
        return round(float(od), 3)

    # Sample VEGF (pg/mL in the undiluted lysate).
    healthy = np.exp(rng.normal(np.log(260.0), 0.35, 6))
    poems = np.exp(rng.normal(np.log(1700.0), 0.45, 18))
    healthy[5] = 22.0  # in the well 11 pg/mL: below the lowest standard
    poems[3] = 5400.0  # in the well 2,700 pg/mL: above the top standard
    samples = [(f"POEMS-{i + 1:02d}", c) for i, c in enumerate(poems)]
    samples += [(f"HC-{i + 1:02d}", c) for i, c in enumerate(healthy)]
    overrange = "POEMS-07"

    layout = {}  # well -> (type, sample, concentration, dilution)
    readings = {}
    for r, conc in enumerate(STANDARDS):
        for col in (1, 2):
            well = f"{ROWS[r]}{col}"
            layout[well] = ("standard", "", conc, "")
            readings[well] = read(conc)
    for r in (0, 1, 6, 7):
        well = f"{ROWS[r]}3"
        layout[well] = ("blank", "", "", "")
        readings[well] = read(0.0)
    for q, (name, nominal) in enumerate(QCS):
        for k in range(2):
            well = f"{ROWS[2 + 2 * q + k]}3"
            layout[well] = ("QC", name, nominal, 1)
            readings[well] = read(nominal)
    for i, (name, conc) in enumerate(samples):
        row, pair = i % 8, i // 8
        for k in range(2):
            well = f"{ROWS[row]}{4 + 2 * pair + k}"
            layout[well] = ("sample", name, "", 2)
            readings[well] = 3.9 if name == overrange else read(conc / 2.0)
    # Unused wells still get a (blank-like) reading, as readers read all 96.
    for r in ROWS:
        for col in range(1, 13):
            readings.setdefault(f"{r}{col}", read(0.0))

    order = [f"{r}{c}" for c in range(1, 13) for r in ROWS]
    with open("plate.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["well", "type", "sample", "concentration", "dilution", "signal"])
        for well in order:
            if well in layout:
                kind, sample, conc, dil = layout[well]
                w.writerow([well, kind, sample, conc, dil, f"{readings[well]:.3f}"])

    def token(well):
        if well not in layout:
            return ""
        kind, sample, conc, dil = layout[well]
        if kind == "standard":
            return f"std:{conc:g}"
        if kind == "blank":
            return "blank"
        if kind == "QC":
            return f"qc:{sample}={conc:g}"
        return f"{sample}@{dil}"

    for name, cell in (("layout.csv", token), ("readings.csv", lambda w: f"{readings[w]:.3f}")):
        with open(name, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([""] + [str(c) for c in range(1, 13)])
            for r in ROWS:
                w.writerow([r] + [cell(f"{r}{c}") for c in range(1, 13)])

    with open("truth.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sample", "group", "true_vegf_pg_ml"])
        for name, conc in samples:
            w.writerow([name, "POEMS" if name.startswith("POEMS") else "healthy", f"{conc:.1f}"])


if __name__ == "__main__":
    main()
