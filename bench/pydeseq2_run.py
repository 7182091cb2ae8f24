"""Run PyDESeq2 with DESeq2-like defaults for the benchmark.
usage: pydeseq2_run.py COUNTS SAMPLES DESIGN CONTRAST OUT.tsv"""
import sys
import pandas as pd
from pydeseq2.dds import DeseqDataSet
from pydeseq2.ds import DeseqStats

counts_f, samples_f, design, contrast, out = sys.argv[1:6]
sep = "\t" if counts_f.endswith(".tsv") else ","
counts = pd.read_csv(counts_f, sep=sep, index_col=0).T
samples = pd.read_csv(samples_f, index_col=0).loc[counts.index]
dds = DeseqDataSet(counts=counts, metadata=samples, design=design, quiet=True)
dds.deseq2()
ds = DeseqStats(dds, contrast=contrast.split(","), quiet=True)
ds.summary()
ds.results_df.to_csv(out, sep="\t")
