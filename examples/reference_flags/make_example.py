#!/usr/bin/env python3
"""Build the bundled `reference_flags` example: a SIMULATED laboratory panel
of 12 patients with POEMS syndrome, 12 analytes each, and the panel's
reference intervals. No value is a measurement from any patient, and the
limits are typical adult reference intervals chosen for illustration, not any
laboratory's validated intervals.

Model (numpy.random.default_rng(SEED)): each value is drawn uniformly across
its reference interval widened by 15% on both sides, then shifted for the
features of POEMS syndrome: thrombocytosis (platelets x U(1.2, 2.2) in 5 of
12 patients), hypothyroidism (TSH x U(1.5, 4) in 4 of 12), raised lambda free
light chains (x U(1.3, 3) in 8 of 12) and low albumin (x U(0.7, 0.9) in 4 of
12); values are rounded to the precision laboratories report. Planted: one
critical potassium (2.3 mmol/L), one calcium exactly on the upper limit
(10.2 mg/dL: within the interval), one missing creatinine (NA).

Writes panel.csv (patient, analyte, value, unit) and limits.csv (analyte,
low, high, unit, critical_low, critical_high) next to this script.
usage: make_example.py
"""

from pathlib import Path

import numpy as np

SEED = 20240602
HERE = Path(__file__).resolve().parent

# analyte: (low, high, unit, critical low, critical high, decimals)
PANEL = {
    "hemoglobin": (12.0, 16.0, "g/dL", 7.0, 20.0, 1),
    "platelets": (150, 400, "10^9/L", 20, 1000, 0),
    "wbc": (4.0, 11.0, "10^9/L", 1.0, 50.0, 1),
    "creatinine": (0.6, 1.2, "mg/dL", None, None, 2),
    "calcium": (8.6, 10.2, "mg/dL", 6.5, 13.0, 1),
    "potassium": (3.5, 5.1, "mmol/L", 2.5, 6.5, 1),
    "sodium": (135, 145, "mmol/L", 120, 160, 0),
    "albumin": (3.5, 5.0, "g/dL", None, None, 1),
    "tsh": (0.4, 4.0, "mIU/L", None, None, 2),
    "crp": (None, 5.0, "mg/L", None, None, 1),
    "kappa_flc": (3.3, 19.4, "mg/L", None, None, 1),
    "lambda_flc": (5.7, 26.3, "mg/L", None, None, 1),
}
SHIFTED = {"platelets": (5, 1.2, 2.2), "tsh": (4, 1.5, 4.0),
           "lambda_flc": (8, 1.3, 3.0), "albumin": (4, 0.7, 0.9)}


def main():
    rng = np.random.default_rng(SEED)
    n = 12
    affected = {a: set(rng.choice(n, size=k, replace=False).tolist())
                for a, (k, _, _) in SHIFTED.items()}
    rows = []
    for p in range(n):
        patient = f"P{p + 1:02d}"
        for analyte, (low, high, unit, _, _, decimals) in PANEL.items():
            lo = 0.0 if low is None else low
            span = high - lo
            value = rng.uniform(max(0.0, lo - 0.15 * span), high + 0.15 * span)
            if analyte in SHIFTED and p in affected[analyte]:
                _, a, b = SHIFTED[analyte]
                value *= rng.uniform(a, b)
            text = f"{value:.{decimals}f}"
            if analyte == "potassium" and patient == "P05":
                text = "2.3"
            if analyte == "calcium" and patient == "P08":
                text = "10.2"
            if analyte == "creatinine" and patient == "P10":
                text = "NA"
            rows.append((patient, analyte, text, unit))
    with open(HERE / "panel.csv", "w") as f:
        f.write("patient,analyte,value,unit\n")
        for row in rows:
            f.write(",".join(row) + "\n")
    fmt = lambda x: "" if x is None else f"{x:g}"
    with open(HERE / "limits.csv", "w") as f:
        f.write("analyte,low,high,unit,critical_low,critical_high\n")
        for analyte, (low, high, unit, cl, ch, _) in PANEL.items():
            f.write(f"{analyte},{fmt(low)},{fmt(high)},{unit},{fmt(cl)},{fmt(ch)}\n")


if __name__ == "__main__":
    main()
