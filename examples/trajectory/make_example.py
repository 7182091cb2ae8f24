#!/usr/bin/env python3
"""Build the bundled `trajectory` example: SIMULATED serum/plasma VEGF time
courses of 24 patients with POEMS syndrome, 14 after autologous stem-cell
transplantation (ASCT) and 10 on thalidomide, measured at three centres by
three different assays, each with its own normal limits. No value is a
measurement from any patient.

Model (all draws from numpy.random.default_rng(SEED)):
  * assay per patient: serum ELISA (12), plasma ELISA (8), serum RIA (4);
  * baseline (time 0) = ULN x fold, fold ~ LogNormal(log 4, 0.6), so most
    baselines are 2-10x the ULN; patient P21 is planted with a baseline just
    under its ULN (not evaluable for response);
  * the level falls towards a floor: fold(t) = floor + (1 - floor) exp(-t/tau),
    ASCT: tau ~ U(1, 2.5) months, floor ~ U(0.05, 0.35);
    thalidomide: tau ~ U(2.5, 6) months, floor ~ U(0.2, 0.7);
  * three patients (P04, P11, P19) relapse: from a month r ~ U(7, 9) the
    level grows by exp(0.35 (t - r)); they miss no visit;
  * multiplicative assay noise LogNormal(0, 0.12); values rounded to whole
    pg/mL, as laboratories report them;
  * visits: ASCT at 0, 1, 3, 6, 9, 12 months, thalidomide at 0, 1, 2, 3, 6,
    9, 12, each after the first jittered by U(-0.5, 0.5) months and rounded to
    0.1 month; 8% of later visits are missed.
Planted problems the analysis must report rather than drop: P07 has no
time-0 sample (first visit at 1 month), P15's baseline sample was lost
(value NA at time 0), one later value is NA.

Writes vegf.csv (patient, arm, centre, assay, month, vegf, unit) and
vegf_limits.csv (assay, lower, upper, unit, source) next to this script.
usage: make_example.py
"""

from pathlib import Path

import numpy as np

SEED = 20240515
HERE = Path(__file__).resolve().parent

# Illustrative normal limits (pg/mL), in the range published for each kind of
# assay; they are not any laboratory's validated reference interval.
ASSAYS = {
    "serum ELISA": (None, 1000.0, "centre A"),
    "plasma ELISA": (9.0, 100.0, "centre B"),
    "serum RIA": (None, 400.0, "centre C"),
}
ASSAY_OF = ["serum ELISA"] * 12 + ["plasma ELISA"] * 8 + ["serum RIA"] * 4
RELAPSING = {"P04", "P11", "P19"}


def main():
    rng = np.random.default_rng(SEED)
    assays = list(ASSAY_OF)
    rng.shuffle(assays)
    arms = ["ASCT"] * 14 + ["thalidomide"] * 10
    rows = []
    for i in range(24):
        patient = f"P{i + 1:02d}"
        arm = arms[i]
        assay = assays[i]
        lower, uln, centre = ASSAYS[assay]
        fold0 = float(np.exp(rng.normal(np.log(4.0), 0.6)))
        if patient == "P21":
            fold0 = 0.9
        if arm == "ASCT":
            tau, floor = rng.uniform(1.0, 2.5), rng.uniform(0.05, 0.35)
            visits = [0, 1, 3, 6, 9, 12]
        else:
            tau, floor = rng.uniform(2.5, 6.0), rng.uniform(0.2, 0.7)
            visits = [0, 1, 2, 3, 6, 9, 12]
        relapse = rng.uniform(7.0, 9.0)
        for k, visit in enumerate(visits):
            jitter = rng.uniform(-0.5, 0.5)
            noise = float(np.exp(rng.normal(0.0, 0.12)))
            missed = rng.uniform() < 0.08
            t = 0.0 if k == 0 else round(visit + jitter, 1)
            if k > 0 and missed and patient not in RELAPSING:
                continue
            if patient == "P07" and k == 0:
                continue
            fold = floor + (1 - floor) * np.exp(-t / tau)
            if patient in RELAPSING and t > relapse:
                fold *= np.exp(0.35 * (t - relapse))
            value = round(uln * fold0 * fold * noise)
            text = str(int(value))
            if (patient == "P15" and k == 0) or (patient == "P03" and k == 3):
                text = "NA"
            rows.append((patient, arm, centre, assay, t, text))
    with open(HERE / "vegf.csv", "w") as f:
        f.write("patient,arm,centre,assay,month,vegf,unit\n")
        for patient, arm, centre, assay, t, text in rows:
            f.write(f"{patient},{arm},{centre},{assay},{t:g},{text},pg/mL\n")
    with open(HERE / "vegf_limits.csv", "w") as f:
        f.write("assay,lower,upper,unit,source\n")
        for assay, (lower, upper, centre) in ASSAYS.items():
            low = "" if lower is None else f"{lower:g}"
            f.write(f"{assay},{low},{upper:g},pg/mL,illustrative ({centre})\n")


if __name__ == "__main__":
    main()
