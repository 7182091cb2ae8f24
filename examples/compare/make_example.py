"""Writes the simulated `osteon compare` example (see README.md).

platelet_vegf.csv: VEGF in platelet lysates by ELISA, POEMS syndrome (n = 18)
  vs healthy donors (n = 6), in pg per 10^6 platelets.
lesion_sre.csv: skeletal-related events (SRE) during denosumab in bone
  lesions with or without sclerotic change on follow-up imaging.

Everything is drawn from numpy.random.default_rng(20240611); the data are
simulated, not measurements.
"""

import numpy as np

rng = np.random.default_rng(20240611)

# Platelet VEGF: log-normal, POEMS median ~1.9, healthy ~0.7 pg/10^6 platelets.
poems = np.exp(rng.normal(np.log(1.9), 0.45, 18))
healthy = np.exp(rng.normal(np.log(0.7), 0.35, 6))
with open("platelet_vegf.csv", "w") as f:
    f.write("sample,group,vegf_pg_per_1e6_plt\n")
    for i, v in enumerate(poems, 1):
        f.write(f"POEMS_{i:02d},POEMS,{v:.3f}\n")
    for i, v in enumerate(healthy, 1):
        f.write(f"HD_{i:02d},healthy,{v:.3f}\n")

# Lesions: SRE probability 0.12 with sclerotic change, 0.45 without.
with open("lesion_sre.csv", "w") as f:
    f.write("lesion,change,sre\n")
    n = 0
    for change, count, p in (("sclerotic", 18, 0.12), ("none", 22, 0.45)):
        for _ in range(count):
            n += 1
            f.write(f"L{n:02d},{change},{'yes' if rng.random() < p else 'no'}\n")
