#!/usr/bin/env python3
"""ELISA golden files: simulated plates and scipy.optimize.curve_fit fits.

For each case in CASES this script
1. writes the plate (`<case>/plate.csv`, simulated with a fixed seed), unless
   the case points at a committed plate (the VEGF example);
2. fits it exactly as `osteon elisa` documents (osteon_assay::elisa):
   blank subtraction by the mean blank signal; every standard well one point;
   y = d + (a - d) / (1 + (x/c)^b)^g (g = 1 for the 4PL); weights none or
   1/Y^2 (sigma = |Y|); starting values by the documented rule (re-implemented
   below); the 5PL started from the converged 4PL with g = 1; then
   scipy.optimize.curve_fit(f, x, y, p0, sigma, jac, method="lm"),
   absolute_sigma = False;
3. writes `<case>/scipy.tsv`: parameter, estimate and standard error
   (sqrt(diag(pcov))), with '%.17g'.

Run from this folder: python3 make_goldens.py (numpy, scipy; versions are
printed into README-versions.txt).
"""

import csv
import os

import numpy as np
import scipy
from scipy.optimize import curve_fit

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "..", "..", "..", "examples", "elisa", "plate.csv")
STANDARDS = [15.625, 31.25, 62.5, 125.0, 250.0, 500.0, 1000.0, 2000.0]

# name: (plate source, model, weighting, truth, cv, seed)
CASES = {
    "4pl_exact_rounded": ("simulate", "4pl", "none", [0.06, 1.15, 310.0, 2.9], 0.0, 1),
    "4pl_noisy": ("simulate", "4pl", "none", [0.06, 1.15, 310.0, 2.9], 0.05, 2),
    "4pl_noisy_weighted": ("simulate", "4pl", "1/y2", [0.06, 1.15, 310.0, 2.9], 0.05, 2),
    "4pl_decreasing_weighted": ("simulate", "4pl", "1/y2", [2.4, 0.9, 120.0, 0.15], 0.04, 3),
    "5pl_noisy": ("simulate", "5pl", "none", [0.05, 1.4, 450.0, 3.2, 0.6], 0.03, 4),
    "5pl_noisy_weighted": ("simulate", "5pl", "1/y2", [0.05, 1.4, 450.0, 3.2, 0.6], 0.03, 4),
    "vegf_example_4pl": (EXAMPLE, "4pl", "none", None, None, None),
    "vegf_example_4pl_weighted": (EXAMPLE, "4pl", "1/y2", None, None, None),
    "vegf_example_5pl_weighted": (EXAMPLE, "5pl", "1/y2", None, None, None),
}


def logistic(x, *p):
    a, b, c, d = p[:4]
    u = (x / c) ** b
    if len(p) == 4:
        return d + (a - d) / (1.0 + u)
    return d + (a - d) / (1.0 + u) ** p[4]


def gradient(x, *p):
    a, b, c, d = p[:4]
    u = (x / c) ** b
    log_ratio = np.log(x / c)
    if len(p) == 4:
        s = 1.0 / (1.0 + u)
        s2 = (a - d) * u / ((1.0 + u) * (1.0 + u))
        return np.column_stack([s, -s2 * log_ratio, s2 * (b / c), 1.0 - s])
    g = p[4]
    s = 1.0 / (1.0 + u) ** g
    s2 = (a - d) * g * u / (1.0 + u) ** (g + 1.0)
    return np.column_stack(
        [s, -s2 * log_ratio, s2 * (b / c), 1.0 - s, -(a - d) * np.log(1.0 + u) * s]
    )


def start_values(levels):
    """The documented rule (osteon_assay::elisa::start_values)."""
    (x_low, a0), (x_high, d0) = levels[0], levels[-1]
    low, high = min(a0, d0), max(a0, d0)
    pts = [(np.log(x), np.log((y - a0) / (d0 - y))) for x, y in levels if low < y < high]
    fallback = [a0, 1.0, float(np.sqrt(x_low * x_high)), d0]
    if len(pts) < 2:
        return fallback
    u = np.array([p[0] for p in pts])
    z = np.array([p[1] for p in pts])
    mu, mz = u.sum() / len(u), z.sum() / len(z)
    slope = float(((u - mu) * (z - mz)).sum() / ((u - mu) ** 2).sum())
    intercept = mz - slope * mu
    c0 = float(np.exp(-intercept / slope))
    if not np.isfinite(slope) or slope == 0.0 or not np.isfinite(c0) or c0 <= 0.0:
        return fallback
    return [a0, slope, c0, d0]


def simulate(truth, cv, seed, path):
    rng = np.random.default_rng(seed)
    blank = 0.05
    rows = [("H11", "blank", "", blank), ("H12", "blank", "", blank)]
    for i, conc in enumerate(STANDARDS):
        for rep, letter in enumerate("AB"):
            mean = logistic(conc, *truth)
            signal = mean * (1.0 + cv * rng.standard_normal()) + blank
            rows.append((f"{letter}{i + 1}", "standard", conc, round(float(signal), 6)))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["well", "type", "concentration", "signal"])
        for well, kind, conc, signal in rows:
            w.writerow([well, kind, conc, repr(signal)])


def read_plate(path):
    blanks, standards = [], []
    with open(path) as f:
        for row in csv.DictReader(f):
            kind = row["type"].lower()
            if kind == "blank":
                blanks.append(float(row["signal"]))
            elif kind == "standard":
                standards.append((float(row["concentration"]), float(row["signal"])))
    return blanks, standards


def fit(path, model, weighting):
    blanks, standards = read_plate(path)
    blank = float(np.mean(blanks)) if blanks else 0.0
    x = np.array([s[0] for s in standards])
    y = np.array([s[1] for s in standards]) - blank
    sigma = np.abs(y) if weighting == "1/y2" else None
    levels = []
    for conc in sorted(set(x)):
        levels.append((conc, float(np.mean(y[x == conc]))))
    p0 = start_values(levels)
    if model == "5pl":
        p4, _, _, _, ier = curve_fit(
            logistic, x, y, p0=p0, sigma=sigma, jac=gradient, method="lm", full_output=True
        )
        p0 = list(p4) + [1.0] if ier in (1, 2, 3, 4) else p0 + [1.0]
    popt, pcov = curve_fit(logistic, x, y, p0=p0, sigma=sigma, jac=gradient, method="lm")
    return popt, np.sqrt(np.diag(pcov)), p0


def main():
    os.chdir(HERE)
    for name, (source, model, weighting, truth, cv, seed) in CASES.items():
        os.makedirs(name, exist_ok=True)
        if source == "simulate":
            plate = os.path.join(name, "plate.csv")
            simulate(truth, cv, seed, plate)
        else:
            plate = source
        popt, se, p0 = fit(plate, model, weighting)
        with open(os.path.join(name, "scipy.tsv"), "w", newline="") as f:
            f.write("parameter\testimate\tstd_error\tstart\n")
            for k, pname in enumerate("abcdg"[: len(popt)]):
                f.write(f"{pname}\t{popt[k]:.17g}\t{se[k]:.17g}\t{p0[k]:.17g}\n")
        with open(os.path.join(name, "args.txt"), "w") as f:
            rel = "plate.csv" if source == "simulate" else "../../../../../../examples/elisa/plate.csv"
            f.write(f"--plate {rel} --model {model} --weighting {weighting}\n")
    with open("README-versions.txt", "w") as f:
        f.write(f"python {'.'.join(map(str, __import__('sys').version_info[:3]))}, numpy {np.__version__}, scipy {scipy.__version__}\n")


if __name__ == "__main__":
    main()
