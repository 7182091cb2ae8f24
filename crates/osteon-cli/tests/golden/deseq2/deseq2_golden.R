#!/usr/bin/env Rscript
# Reference DESeq2 run for one golden case.
#
# usage: Rscript deseq2_golden.R CASE_DIR [osteon de flags ...]
#   The flags are those of `osteon de` (what CASE_DIR/args.txt holds):
#   --design F  --contrast var,num,den  --name COEF  --test wald|lrt
#   --reduced F  --ref var=level  --factor NAME  --sf-type ratio|poscounts|iterate
#   --fit-type parametric|local|mean  --alpha A
# Reads CASE_DIR/counts.tsv and CASE_DIR/samples.csv, runs DESeq() and
# results() with the matching arguments, and writes CASE_DIR/deseq2/*.tsv.
# Every number is written with sprintf("%.17g") so that it round-trips to
# the same double.
suppressPackageStartupMessages(library(DESeq2))
invisible(Sys.setlocale("LC_COLLATE", "C")) # factor levels in byte order

argv <- commandArgs(trailingOnly = TRUE)
if (length(argv) < 1) stop("usage: deseq2_golden.R CASE_DIR [flags]")
case_dir <- argv[1]
flags <- argv[-1]

# ---- parse the osteon de flags ------------------------------------------
opt <- list(design = NULL, contrast = NULL, name = NULL, test = "wald", reduced = NULL,
            ref = character(), factor = character(), sf_type = "ratio",
            fit_type = "parametric", alpha = 0.1)
i <- 1
while (i <= length(flags)) {
  flag <- flags[i]
  if (i + 1 > length(flags)) stop("flag without value: ", flag)
  val <- flags[i + 1]
  switch(flag,
    "--design" = opt$design <- val,
    "--contrast" = opt$contrast <- strsplit(val, ",", fixed = TRUE)[[1]],
    "--name" = opt$name <- val,
    "--test" = opt$test <- tolower(val),
    "--reduced" = opt$reduced <- val,
    "--ref" = opt$ref <- c(opt$ref, val),
    "--factor" = opt$factor <- c(opt$factor, val),
    "--sf-type" = opt$sf_type <- val,
    "--fit-type" = opt$fit_type <- val,
    "--alpha" = opt$alpha <- as.numeric(val),
    stop("unknown flag: ", flag))
  i <- i + 2
}
if (is.null(opt$design)) stop("--design is required")
if (!is.null(opt$contrast) && length(opt$contrast) != 3) stop("--contrast needs var,num,den")
if (!opt$test %in% c("wald", "lrt")) stop("--test must be wald or lrt")
if (opt$test == "lrt" && is.null(opt$reduced)) stop("--test lrt needs --reduced")

# ---- read the inputs -----------------------------------------------------
cts <- as.matrix(read.delim(file.path(case_dir, "counts.tsv"), row.names = 1, check.names = FALSE))
mode(cts) <- "integer"
cd <- read.csv(file.path(case_dir, "samples.csv"), row.names = 1, check.names = FALSE,
               stringsAsFactors = TRUE)
cd <- cd[colnames(cts), , drop = FALSE]
for (v in opt$factor) cd[[v]] <- factor(cd[[v]])
for (r in opt$ref) {
  kv <- strsplit(r, "=", fixed = TRUE)[[1]]
  cd[[kv[1]]] <- relevel(factor(cd[[kv[1]]]), ref = kv[2])
}

# ---- the calls, as text, so PROVENANCE shows exactly what ran -----------
dq <- function(x) paste0('"', x, '"')
deseq_call <- sprintf("DESeq(dds, test = %s, fitType = %s, sfType = %s%s)",
  dq(if (opt$test == "lrt") "LRT" else "Wald"), dq(opt$fit_type), dq(opt$sf_type),
  if (opt$test == "lrt") paste0(", reduced = ", opt$reduced) else "")
results_call <- sprintf("results(dds%s, alpha = %s)",
  if (!is.null(opt$contrast)) paste0(", contrast = c(", paste(dq(opt$contrast), collapse = ", "), ")")
  else if (!is.null(opt$name)) paste0(", name = ", dq(opt$name)) else "",
  as.character(opt$alpha))
calls <- c(sprintf("dds <- DESeqDataSetFromMatrix(cts, cd, %s)", opt$design),
           sprintf("dds <- %s", deseq_call),
           sprintf("res <- %s", results_call))

notes <- character()
capture <- function(expr) withCallingHandlers(expr,
  message = function(m) { notes <<- c(notes, paste("message:", trimws(conditionMessage(m)))); invokeRestart("muffleMessage") },
  warning = function(w) { notes <<- c(notes, paste("warning:", trimws(conditionMessage(w)))); invokeRestart("muffleWarning") })

t0 <- proc.time()[["elapsed"]]
capture(for (cl in calls) eval(parse(text = cl)))
t1 <- proc.time()[["elapsed"]]

# ---- writers ---------------------------------------------------------------
fmt <- function(x) {
  if (is.logical(x)) return(ifelse(is.na(x), "NA", ifelse(x, "TRUE", "FALSE")))
  if (is.integer(x)) return(ifelse(is.na(x), "NA", as.character(x)))
  if (is.numeric(x)) return(sprintf("%.17g", x)) # NA -> "NA", NaN -> "NaN"
  as.character(x)
}
out <- file.path(case_dir, "deseq2")
dir.create(out, showWarnings = FALSE)
write_tsv <- function(df, name) {
  df[] <- lapply(df, fmt)
  write.table(df, file.path(out, name), sep = "\t", quote = FALSE, row.names = FALSE, na = "NA")
}
write_matrix <- function(m, name) {
  df <- data.frame(gene = rownames(m), m, check.names = FALSE, stringsAsFactors = FALSE)
  write_tsv(df, name)
}

res_df <- as.data.frame(res)
write_tsv(data.frame(gene = rownames(res), res_df[, c("baseMean", "log2FoldChange", "lfcSE", "stat", "pvalue", "padj")],
                     check.names = FALSE), "results.tsv")
write_tsv(data.frame(sample = colnames(dds), sizeFactor = sizeFactors(dds)), "size_factors.tsv")
md <- mcols(dds)
write_tsv(data.frame(gene = rownames(dds), dispGeneEst = md$dispGeneEst, dispFit = md$dispFit,
                     dispersion = md$dispersion), "dispersions.tsv")
write_matrix(counts(dds, normalized = TRUE), "normalized_counts.tsv")

# LRT stores the full model's convergence as fullBetaConv (written as betaConv)
# and adds reducedBetaConv.
extra <- data.frame(gene = rownames(dds), stringsAsFactors = FALSE)
if (opt$test == "lrt") {
  extra$betaConv <- md$fullBetaConv
  extra$reducedBetaConv <- md$reducedBetaConv
} else {
  extra$betaConv <- md$betaConv
}
extra$maxCooks <- md$maxCooks
extra$dispOutlier <- md$dispOutlier
if ("replace" %in% names(md)) extra$replace <- md$replace
extra$dispGeneIter <- md$dispGeneIter
extra$baseVar <- md$baseVar
extra$allZero <- md$allZero
write_tsv(extra, "extra.tsv")
writeLines(resultsNames(dds), file.path(out, "resultsNames.txt"))

vst_note <- "vst(dds, blind = FALSE)"
t2 <- proc.time()[["elapsed"]]
vs <- tryCatch(capture(vst(dds, blind = FALSE)), error = function(e) {
  vst_note <<- paste0("varianceStabilizingTransformation(dds, blind = FALSE), because vst() failed: ",
                      gsub("\\s+", " ", trimws(conditionMessage(e))))
  capture(varianceStabilizingTransformation(dds, blind = FALSE))
})
write_matrix(assay(vs), "vst.tsv")
vsb <- capture(varianceStabilizingTransformation(dds, blind = TRUE))
write_matrix(assay(vsb), "vst_blind.tsv")
t3 <- proc.time()[["elapsed"]]

# ---- provenance and a sanity summary ----------------------------------------
m <- ncol(dds)
p <- ncol(if (!is.null(attr(dds, "modelMatrix"))) attr(dds, "modelMatrix") else model.matrix(design(dds), colData(dds)))
n_sig <- sum(res$padj < opt$alpha, na.rm = TRUE)
na_counts <- sapply(res_df[, c("log2FoldChange", "pvalue", "padj")], function(x) sum(is.na(x)))
n_replace <- if ("replace" %in% names(md)) sum(md$replace, na.rm = TRUE) else NA
n_replaced_cells <- if ("replaceCounts" %in% assayNames(dds)) sum(assays(dds)[["replaceCounts"]] != counts(dds)) else 0
info <- c(
  sprintf("DESeq2 %s; %s; locfit %s; matrixStats %s", packageVersion("DESeq2"), R.version.string,
          packageVersion("locfit"), packageVersion("matrixStats")),
  sprintf("case: %s", basename(normalizePath(case_dir))),
  sprintf("osteon de args: %s", paste(ifelse(grepl("^[A-Za-z0-9_,=.:+/-]+$", flags), flags, dq(flags)), collapse = " ")),
  sprintf("genes: %d  samples: %d  p (model columns): %d  m - p: %d", nrow(dds), m, p, m - p),
  "calls:", paste0("  ", calls),
  sprintf("  vs <- %s", vst_note),
  "  vsb <- varianceStabilizingTransformation(dds, blind = TRUE)",
  sprintf("dispersion fit used: %s", attr(dispersionFunction(dds), "fitType")),
  sprintf("resultsNames: %s", paste(resultsNames(dds), collapse = ", ")),
  sprintf("results column: %s", mcols(res)$description[2]),
  sprintf("padj < %s: %d; allZero: %d; NA log2FoldChange: %d; NA pvalue: %d; NA padj: %d",
          format(opt$alpha), n_sig, sum(md$allZero), na_counts[1], na_counts[2], na_counts[3]),
  sprintf("betaConv FALSE: %d; dispOutlier TRUE: %d; replace TRUE: %s; replaced count cells: %d",
          sum(!extra$betaConv, na.rm = TRUE), sum(md$dispOutlier, na.rm = TRUE), format(n_replace), n_replaced_cells),
  sprintf("seconds (DESeqDataSetFromMatrix + DESeq + results): %.2f", t1 - t0),
  sprintf("seconds (vst + blind vst): %.2f", t3 - t2),
  "R messages and warnings:", if (length(notes)) paste0("  ", gsub("\n", "\n    ", notes)) else "  (none)")
writeLines(info, file.path(out, "PROVENANCE.txt"))
cat(sprintf("%-32s %5d x %2d  m-p=%2d  padj<%.2g: %4d  replace: %s  fit: %s  %.2fs\n",
            basename(normalizePath(case_dir)), nrow(dds), m, m - p, opt$alpha, n_sig, format(n_replace),
            attr(dispersionFunction(dds), "fitType"), t1 - t0))
