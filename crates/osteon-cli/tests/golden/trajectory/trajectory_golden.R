#!/usr/bin/env Rscript
# Reference outputs for `osteon trajectory`, computed in base R (R 4.2.2,
# package stats only) from the rules documented in
# crates/osteon-cohort/src/trajectory.rs, written independently of the Rust
# code:
#   * baseline: last measured value at or before time 0 (default), the value
#     at exactly time 0, or the first measured value;
#   * % change = (value - reference) / reference * 100 (NA when reference 0);
#   * nadir = min of measured values with baseline time <= t' < t;
#   * fold of ULN = value / upper;
#   * landmark value = measured value after the baseline with
#     |t - landmark| <= window, the closest (earlier on ties: which.min);
#   * category: not evaluable (no baseline / no value / baseline <= ULN
#     unless assessed), complete (value <= ULN), progression (rise from
#     nadir or baseline >= threshold, or from 0), partial (fall from
#     baseline >= threshold), stable;
#   * arm summary: median(), quantile(type = 7) at 0.25 and 0.75.
#
# usage: Rscript trajectory_golden.R CASE_DIR
#   CASE_DIR/args.txt holds the osteon arguments (paths relative to CASE_DIR);
#   writes CASE_DIR/r/{changes,landmarks,arm_summary}.tsv with every number
#   as sprintf("%.17g").

args <- commandArgs(trailingOnly = TRUE)
case_dir <- normalizePath(args[1])
words <- scan(file.path(case_dir, "args.txt"), what = "", quiet = TRUE)

opt <- list(patient = "patient", time = "time", value = "value", arm = NA,
            assay = NA, unit = NA, landmarks = "3,6,12", window = "1",
            baseline = "at-or-before-zero", `partial-fall` = "50",
            `progression-rise` = "50", `progression-from` = "nadir",
            `assess-normal-baseline` = FALSE, `allow-negative-times` = FALSE,
            `summary-by-assay` = FALSE)
switches <- c("assess-normal-baseline", "allow-negative-times", "summary-by-assay")
i <- 1
while (i <= length(words)) {
  key <- sub("^--", "", words[i])
  if (key %in% switches) {
    opt[[key]] <- TRUE
    i <- i + 1
  } else {
    opt[[key]] <- words[i + 1]
    i <- i + 2
  }
}

read_table <- function(path) {
  read.csv(file.path(case_dir, path), colClasses = "character",
           na.strings = c("", "NA"), check.names = FALSE, strip.white = TRUE)
}
data <- read_table(opt$data)
limits <- read_table(opt$limits)
pick <- function(df, names) df[[intersect(names, colnames(df))[1]]]
lim <- data.frame(assay = pick(limits, c("assay", "analyte")),
                  lower = as.numeric(pick(limits, c("lower", "low"))),
                  upper = as.numeric(pick(limits, c("upper", "high"))),
                  stringsAsFactors = FALSE)

d <- data.frame(patient = data[[opt$patient]],
                time = as.numeric(data[[opt$time]]),
                value = as.numeric(data[[opt$value]]),
                arm = if (is.na(opt$arm)) NA_character_ else data[[opt$arm]],
                assay = if (is.na(opt$assay)) lim$assay[1] else data[[opt$assay]],
                stringsAsFactors = FALSE)
if (!opt$`allow-negative-times`) stopifnot(all(d$time >= 0))
d <- d[order(match(d$patient, unique(d$patient)), match(d$assay, unique(d$assay)), d$time), ]
d$series <- paste(d$patient, d$assay, sep = "\r")
series_ids <- unique(d$series)

landmarks <- sort(as.numeric(strsplit(opt$landmarks, ",")[[1]]))
window <- as.numeric(opt$window)
fall <- as.numeric(opt$`partial-fall`)
rise <- as.numeric(opt$`progression-rise`)
pct <- function(v, ref) {
  ref <- rep_len(ref, length(v))
  out <- (v - ref) / ref * 100
  out[!is.na(ref) & ref == 0] <- NA_real_
  out
}

changes <- list()
marks <- list()
for (s in series_ids) {
  x <- d[d$series == s, ]
  l <- lim[lim$assay == x$assay[1], ]
  uln <- l$upper
  measured <- which(!is.na(x$value))
  b <- switch(opt$baseline,
    "at-or-before-zero" = { k <- measured[x$time[measured] <= 0]; if (length(k)) max(k) else NA },
    "at-zero" = { k <- measured[x$time[measured] == 0]; if (length(k)) k[1] else NA },
    "first" = if (length(measured)) measured[1] else NA)
  has_base <- !is.na(b)
  bt <- if (has_base) x$time[b] else -Inf
  bv <- if (has_base) x$value[b] else NA_real_
  nadir <- rep(NA_real_, nrow(x))
  if (has_base) {
    for (j in seq_len(nrow(x))) {
      if (x$time[j] > bt) {
        prior <- measured[x$time[measured] >= bt & x$time[measured] < x$time[j]]
        nadir[j] <- min(x$value[prior])
      }
    }
  }
  flag <- ifelse(is.na(x$value), NA,
            ifelse(!is.na(l$lower) & x$value < l$lower, "L",
              ifelse(x$value > uln, "H", "N")))
  ch <- data.frame(patient = x$patient, arm = x$arm, assay = x$assay,
                   time = x$time, value = x$value, fold_uln = x$value / uln,
                   flag = flag,
                   normalised = ifelse(is.na(x$value), NA, x$value <= uln),
                   is_baseline = has_base & seq_len(nrow(x)) == ifelse(has_base, b, 0),
                   pct_change_baseline = if (has_base) pct(x$value, bv) else NA_real_,
                   nadir = nadir, pct_change_nadir = pct(x$value, nadir),
                   stringsAsFactors = FALSE)
  changes[[length(changes) + 1]] <- ch
  for (L in landmarks) {
    cand <- measured[x$time[measured] > bt & abs(x$time[measured] - L) <= window]
    j <- if (length(cand)) cand[which.min(abs(x$time[cand] - L))] else NA
    category <- if (!has_base || is.na(j)) {
      "not_evaluable"
    } else {
      v <- x$value[j]
      ref <- if (opt$`progression-from` == "nadir") nadir[j] else bv
      if (!opt$`assess-normal-baseline` && bv <= uln) "not_evaluable"
      else if (v <= uln) "complete"
      else if (ref == 0 || pct(v, ref) >= rise) "progression"
      else if (is.na(pct(v, bv))) "not_evaluable"
      else if (pct(v, bv) <= -fall) "partial"
      else "stable"
    }
    at <- function(column) if (is.na(j)) NA_real_ else column[j]
    marks[[length(marks) + 1]] <- data.frame(
      patient = x$patient[1], arm = x$arm[1], assay = x$assay[1], landmark = L,
      time_used = at(x$time), value = at(x$value), fold_uln = at(ch$fold_uln),
      pct_change_baseline = at(ch$pct_change_baseline),
      pct_change_nadir = at(ch$pct_change_nadir), category = category,
      stringsAsFactors = FALSE)
  }
}
changes <- do.call(rbind, changes)
marks <- do.call(rbind, marks)

# Per-arm (and assay) summaries at each landmark.
arm_key <- ifelse(is.na(marks$arm), "all", marks$arm)
group_key <- if (opt$`summary-by-assay`) paste(arm_key, marks$assay, sep = "\r") else arm_key
categories <- c("complete", "partial", "stable", "progression", "not_evaluable")
quart <- function(x) {
  if (length(x) == 0) return(c(NA_real_, NA_real_, NA_real_))
  c(median(x), quantile(x, c(0.25, 0.75), type = 7, names = FALSE))
}
summary_rows <- list()
for (g in unique(group_key)) {
  in_group <- group_key == g
  assays <- unique(marks$assay[in_group])
  for (L in landmarks) {
    m <- marks[in_group & marks$landmark == L, ]
    measured <- m[!is.na(m$time_used), ]
    with_change <- measured$pct_change_baseline[!is.na(measured$pct_change_baseline)]
    value_q <- if (length(assays) == 1) quart(measured$value) else rep(NA_real_, 3)
    fold_q <- quart(measured$fold_uln)
    change_q <- quart(with_change)
    counts <- sapply(categories, function(k) sum(m$category == k))
    summary_rows[[length(summary_rows) + 1]] <- data.frame(
      arm = arm_key[in_group][1],
      assay = if (opt$`summary-by-assay`) assays else paste(assays, collapse = ","),
      landmark = L, n_series = nrow(m), n_measured = nrow(measured),
      n_with_change = length(with_change),
      value_median = value_q[1], value_q1 = value_q[2], value_q3 = value_q[3],
      fold_uln_median = fold_q[1], fold_uln_q1 = fold_q[2], fold_uln_q3 = fold_q[3],
      pct_change_median = change_q[1], pct_change_q1 = change_q[2],
      pct_change_q3 = change_q[3],
      n_complete = counts[1], n_partial = counts[2], n_stable = counts[3],
      n_progression = counts[4], n_not_evaluable = counts[5],
      stringsAsFactors = FALSE, row.names = NULL)
  }
}
arm_summary <- do.call(rbind, summary_rows)

write_tsv <- function(df, name) {
  out <- df
  for (k in seq_along(out)) {
    col <- out[[k]]
    if (is.logical(col)) {
      out[[k]] <- ifelse(is.na(col), "NA", ifelse(col, "TRUE", "FALSE"))
    } else if (is.numeric(col)) {
      out[[k]] <- ifelse(is.na(col), "NA", sprintf("%.17g", col))
    } else {
      out[[k]] <- ifelse(is.na(col), "NA", col)
    }
  }
  dir.create(file.path(case_dir, "r"), showWarnings = FALSE)
  write.table(out, file.path(case_dir, "r", name), sep = "\t", quote = FALSE,
              row.names = FALSE, na = "NA")
}
write_tsv(changes, "changes.tsv")
write_tsv(marks, "landmarks.tsv")
write_tsv(arm_summary, "arm_summary.tsv")
cat(sprintf("%s: %d series, %d measurements; %s\n", basename(case_dir),
            length(series_ids), nrow(changes), R.version.string))
