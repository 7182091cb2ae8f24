# Golden for `osteon enrich` with its defaults (--universe-policy annotated,
# --relations all, --min-size 10, --max-size 500), computed the way DOSE's
# enricher_internal (clusterProfiler's enrichGO) does, on the gene sets
# clusterProfiler uses: org.Hs.egGO2ALLEGS (propagated over every GO.db
# relation type), BP terms of GO.db. clusterProfiler itself is not installed
# here; this script reproduces enricher_internal's counting and test:
#   extID  = genes annotated to any BP term, intersected with the universe
#   n      = list genes annotated to any BP term
#   K      = |term genes ∩ extID|, tested when 10 <= K <= 500 and k >= 1
#   p      = phyper(k - 1, K, N - K, n, lower.tail = FALSE)
#   p.adjust = p.adjust(p, "BH") over the tested terms
# R 4.2.2, GO.db 3.16.0, org.Hs.eg.db 3.16.0.
#
# usage: Rscript make_clusterprofiler_golden.R LIST UNIVERSE OUT.tsv.gz
suppressPackageStartupMessages({
  library(GO.db)
  library(org.Hs.eg.db)
})
args <- commandArgs(trailingOnly = TRUE)
gene <- unique(readLines(args[1]))
universe <- unique(readLines(args[2]))
bp_terms <- keys(GOBPPARENTS)
go2all <- as.list(org.Hs.egGO2ALLEGS)
go2all <- lapply(go2all[names(go2all) %in% bp_terms], unique)
ext_all <- unique(unlist(go2all))
extID <- intersect(ext_all, universe)
n <- sum(gene %in% ext_all)
N <- length(extID)
K <- vapply(go2all, function(g) sum(g %in% extID), integer(1))
k <- vapply(go2all, function(g) sum(g %in% gene & g %in% extID), integer(1))
keep <- k >= 1 & K >= 10 & K <= 500
ids <- names(go2all)[keep]
p <- phyper(k[keep] - 1, K[keep], N - K[keep], n, lower.tail = FALSE)
out <- data.frame(ID = ids, k = k[keep], n = n, K = K[keep], N = N,
                  pvalue = sprintf("%.17g", p),
                  p.adjust = sprintf("%.17g", p.adjust(p, "BH")))
out <- out[order(out$ID), ]
con <- gzfile(args[3], "w")
write.table(out, con, sep = "\t", quote = FALSE, row.names = FALSE)
close(con)
cat(nrow(out), "terms; N =", N, "n =", n, "\n")
