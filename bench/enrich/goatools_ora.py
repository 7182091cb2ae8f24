"""One goatools 1.6.7 over-representation analysis, as a whole process:
load the GO DAG (OBO) and the human GAF, run one BP study, write the
results. Used by bench/enrich_vs_goatools.sh.

usage: goatools_ora.py OBO GAF STUDY POPULATION OUT_TSV
(OBO and GAF uncompressed; STUDY and POPULATION one Entrez id per line)
"""
import sys

from goatools.anno.gaf_reader import GafReader
from goatools.go_enrichment import GOEnrichmentStudy
from goatools.obo_parser import GODag


def ids(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def main():
    obo, gaf, study_path, population_path, out = sys.argv[1:6]
    dag = GODag(obo, load_obsolete=False, prt=None)
    assoc = GafReader(gaf, godag=dag, prt=None).get_id2gos(namespace="BP", keep_ND=True, prt=None)
    goea = GOEnrichmentStudy(
        ids(population_path),
        assoc,
        dag,
        propagate_counts=True,
        alpha=0.05,
        methods=["fdr_bh"],
        alternative="greater",
        log=None,
    )
    results = goea.run_study(ids(study_path), prt=None)
    with open(out, "w") as f:
        f.write("ID\tk\tn\tK\tN\tpvalue\tp_fdr_bh\n")
        for r in results:
            if r.ratio_in_study[0] >= 1:
                f.write(
                    f"{r.GO}\t{r.ratio_in_study[0]}\t{r.ratio_in_study[1]}\t{r.ratio_in_pop[0]}"
                    f"\t{r.ratio_in_pop[1]}\t{r.p_uncorrected:.17g}\t{r.p_fdr_bh:.17g}\n"
                )


if __name__ == "__main__":
    main()
