//! File-level tests: small inline files written to a fresh temporary folder,
//! read back through the public API; one test per error variant plus the
//! format features (CRLF, BOM, gzip, quoting, featureCounts).

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::*;

/// A temporary folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "osteon-io-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, content).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn counts_error(name: &str, content: &str) -> IoError {
    let scratch = Scratch::new();
    read_counts(scratch.write(name, content)).unwrap_err()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

const PLAIN_TSV: &str = "gene\tA\tB\tC\ng1\t0\t5\t10\ng2\t1e+05\t12.0\t3\n";

#[test]
fn reads_plain_tsv() {
    let scratch = Scratch::new();
    let table = read_counts(scratch.write("counts.tsv", PLAIN_TSV)).unwrap();
    assert_eq!(table.genes, strings(&["g1", "g2"]));
    assert_eq!(table.samples, strings(&["A", "B", "C"]));
    assert_eq!(table.header_samples, table.samples);
    assert_eq!(table.counts, [0.0, 5.0, 10.0, 100000.0, 12.0, 3.0]);
    assert_eq!(table.row(1), [100000.0, 12.0, 3.0]);
    assert_eq!(table.source, CountSource::Delimited { separator: b'\t' });
    assert_eq!((table.n_genes(), table.n_samples()), (2, 3));
}

#[test]
fn crlf_and_bom_parse_like_plain() {
    let scratch = Scratch::new();
    let plain = read_counts(scratch.write("plain.tsv", PLAIN_TSV)).unwrap();
    let mut dos = vec![0xEF, 0xBB, 0xBF];
    dos.extend_from_slice(PLAIN_TSV.replace('\n', "\r\n").as_bytes());
    let crlf = read_counts(scratch.write("plain.tsv", dos)).unwrap();
    assert_eq!(crlf, plain);
}

#[test]
fn gzip_round_trip_detected_by_magic_bytes() {
    let scratch = Scratch::new();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(PLAIN_TSV.as_bytes()).unwrap();
    let compressed = encoder.finish().unwrap();
    let plain = read_counts(scratch.write("counts.tsv", PLAIN_TSV)).unwrap();
    // Misleading name: no `.gz`, still decompressed.
    let gz = read_counts(scratch.write("counts.tsv", &compressed)).unwrap();
    assert_eq!(gz, plain);
    let gz_named = read_counts(scratch.write("counts.tsv.gz", &compressed)).unwrap();
    assert_eq!(gz_named.counts, plain.counts);
    let truncated = &compressed[..compressed.len() - 12];
    let error = read_counts(scratch.write("bad.tsv.gz", truncated)).unwrap_err();
    assert!(matches!(error, IoError::Gzip { .. }), "{error}");
}

#[test]
fn r_write_csv_with_quoted_empty_first_cell() {
    // write.csv(counts) in R: quoted names, `""` for the row-name column.
    let scratch = Scratch::new();
    let content = "\"\",\"S 1\",\"S,2\"\n\"ENSG01\",3,4\n\"ENSG02\",0,7\n";
    let table = read_counts(scratch.write("counts.csv", content)).unwrap();
    assert_eq!(table.samples, strings(&["S 1", "S,2"]));
    assert_eq!(table.genes, strings(&["ENSG01", "ENSG02"]));
    assert_eq!(table.counts, [3.0, 4.0, 0.0, 7.0]);
    assert_eq!(table.source, CountSource::Delimited { separator: b',' });
}

#[test]
fn reads_files_written_by_r() {
    // m <- matrix(c(0, 100000, 5, 12, 1e6, 3), nrow = 3,
    //             dimnames = list(c("g1", "g2", "g3"), c("S1", "S2")))
    // write.csv(m, "wc.csv"); write.table(m, "wt.tsv", sep = "\t", quote = FALSE)
    // write.table(m, "wtq.txt", sep = "\t")   (R 4.2 output copied verbatim)
    let scratch = Scratch::new();
    let files = [
        (
            "wc.csv",
            "\"\",\"S1\",\"S2\"\n\"g1\",0,12\n\"g2\",1e+05,1e+06\n\"g3\",5,3\n",
        ),
        ("wt.tsv", "S1\tS2\ng1\t0\t12\ng2\t1e+05\t1e+06\ng3\t5\t3\n"),
        (
            "wtq.txt",
            "\"S1\"\t\"S2\"\n\"g1\"\t0\t12\n\"g2\"\t1e+05\t1e+06\n\"g3\"\t5\t3\n",
        ),
    ];
    for (name, content) in files {
        let table = read_counts(scratch.write(name, content)).unwrap();
        assert_eq!(table.genes, strings(&["g1", "g2", "g3"]), "{name}");
        assert_eq!(table.samples, strings(&["S1", "S2"]), "{name}");
        assert_eq!(table.counts, [0.0, 12.0, 1e5, 1e6, 5.0, 3.0], "{name}");
    }
    // d <- data.frame(condition = c("a", "b"), age = c(1.5, NA),
    //                 row.names = c("S1", "S2")); write.csv(d, "sheet.csv")
    let sheet = read_sample_sheet(scratch.write(
        "sheet.csv",
        "\"\",\"condition\",\"age\"\n\"S1\",\"a\",1.5\n\"S2\",\"b\",NA\n",
    ))
    .unwrap();
    assert_eq!(sheet.id_column, "");
    assert_eq!(sheet.ids, strings(&["S1", "S2"]));
    let age = sheet.column("age").unwrap();
    assert_eq!(age.values, [Some("1.5".to_string()), None]);
    assert_eq!(age.numeric.as_ref().unwrap()[0], 1.5);
    assert!(!sheet.column("condition").unwrap().is_numeric());
}

#[test]
fn header_without_row_name_column_and_sniffed_separator() {
    // write.table(counts, sep = ",", quote = FALSE): header lacks the id cell;
    // unknown extension, so the separator is sniffed.
    let scratch = Scratch::new();
    let table = read_counts(scratch.write("counts.dat", "A,B\ng1,1,2\ng2,3,4\n")).unwrap();
    assert_eq!(table.samples, strings(&["A", "B"]));
    assert_eq!(table.counts, [1.0, 2.0, 3.0, 4.0]);
    assert_eq!(table.source, CountSource::Delimited { separator: b',' });
}

#[test]
fn featurecounts_output() {
    let scratch = Scratch::new();
    let content =
        "# Program:featureCounts v2.0.3; Command:\"featureCounts\" \"-a\" \"genes.gtf\"\n\
        Geneid\tChr\tStart\tEnd\tStrand\tLength\t/data/bam/P1.bam\t/data/bam/P2.sorted.bam\n\
        ENSG01\tchr1;chr1\t100;300\t200;400\t+;+\t202\t7\t0\n\
        ENSG02\tchr2\t5\t50\t-\t46\t12\t3\n";
    let table = read_counts(scratch.write("fc.txt", content)).unwrap();
    assert_eq!(table.source, CountSource::FeatureCounts);
    assert_eq!(table.samples, strings(&["P1", "P2.sorted"]));
    assert_eq!(
        table.header_samples,
        strings(&["/data/bam/P1.bam", "/data/bam/P2.sorted.bam"])
    );
    assert_eq!(table.genes, strings(&["ENSG01", "ENSG02"]));
    assert_eq!(table.counts, [7.0, 0.0, 12.0, 3.0]);

    // Stripping would make the names collide: the raw names are kept.
    let clash = "Geneid\tChr\tStart\tEnd\tStrand\tLength\trun1/P1.bam\trun2/P1.bam\n\
        g\tc\t1\t2\t+\t2\t1\t2\n";
    let table = read_counts(scratch.write("fc2.txt", clash)).unwrap();
    assert_eq!(table.samples, strings(&["run1/P1.bam", "run2/P1.bam"]));
}

#[test]
fn featurecounts_name_stripping() {
    assert_eq!(featurecounts_sample_name("/a/b/P3.bam"), "P3");
    assert_eq!(featurecounts_sample_name("P3.bam.bai"), "P3.bam.bai");
    assert_eq!(featurecounts_sample_name("dir/P3"), "P3");
    assert_eq!(featurecounts_sample_name(".bam"), ".bam");
}

#[test]
fn negative_count() {
    let error = counts_error("c.tsv", "gene\tA\tB\ng1\t1\t-3\n");
    assert!(
        matches!(&error, IoError::NegativeCount { line: 2, gene, sample, value, .. }
            if gene == "g1" && sample == "B" && value == "-3"),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("c.tsv line 2: gene g1, sample B"));
}

#[test]
fn fractional_count() {
    let error = counts_error(
        "counts.tsv",
        "gene\tP1\tP3\nTP53\t1\t2\nENSG00000141510\t4\t12.5\n",
    );
    assert!(
        matches!(&error, IoError::FractionalCount { line: 3, gene, sample, value, .. }
            if gene == "ENSG00000141510" && sample == "P3" && value == "12.5"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains(
        "counts.tsv line 3: gene ENSG00000141510, sample P3: count \"12.5\" is not a whole number"
    ));
    assert!(message.contains("salmon/kallisto"));
}

#[test]
fn missing_and_non_numeric_counts() {
    for (cell, missing) in [
        ("NA", true),
        ("", true),
        ("NaN", true),
        ("abc", false),
        ("Inf", false),
    ] {
        let error = counts_error("c.csv", &format!("gene,A\ng1,{cell}\n"));
        if missing {
            assert!(
                matches!(&error, IoError::MissingCount { line: 2, gene, sample, .. } if gene == "g1" && sample == "A"),
                "{cell}: {error:?}"
            );
        } else {
            assert!(
                matches!(&error, IoError::NonNumericCount { line: 2, value, .. } if value == cell),
                "{cell}: {error:?}"
            );
        }
    }
}

#[test]
fn duplicate_gene() {
    let error = counts_error("c.tsv", "gene\tA\ng1\t1\ng2\t1\n\ng1\t2\n");
    assert!(
        matches!(&error, IoError::DuplicateGene { gene, first_line: 2, second_line: 5, .. } if gene == "g1"),
        "{error:?}"
    );
    assert!(error.to_string().contains("lines 2 and 5"));
}

#[test]
fn duplicate_count_sample() {
    let error = counts_error("c.tsv", "gene\tA\tB\tA\ng1\t1\t2\t3\n");
    assert!(
        matches!(&error, IoError::DuplicateCountSample { line: 1, sample, .. } if sample == "A"),
        "{error:?}"
    );
}

#[test]
fn ragged_row() {
    // A trailing separator is not mistaken for R's header without id cell.
    let error = counts_error("c.tsv", "gene\tA\tB\ng1\t1\t2\t\n");
    assert!(
        matches!(
            error,
            IoError::RaggedRow {
                line: 2,
                expected: 3,
                found: 4,
                ..
            }
        ),
        "{error:?}"
    );
    let error = counts_error("c.tsv", "gene\tA\tB\ng1\t1\t2\ng2\t1\n");
    assert!(
        matches!(
            error,
            IoError::RaggedRow {
                line: 3,
                expected: 3,
                found: 2,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("expected 3 fields (as in the header), found 2"));
}

#[test]
fn empty_header_only_and_no_samples() {
    assert!(matches!(
        counts_error("c.tsv", ""),
        IoError::EmptyFile { .. }
    ));
    assert!(matches!(
        counts_error("c.tsv", "\r\n\n"),
        IoError::EmptyFile { .. }
    ));
    assert!(matches!(
        counts_error("c.tsv", "gene\tA\tB\n"),
        IoError::HeaderOnly { line: 1, .. }
    ));
    assert!(matches!(
        counts_error("c.tsv", "gene\ng1\ng2\n"),
        IoError::NoSamples { line: 1, .. }
    ));
    assert!(matches!(
        counts_error("c.tsv", "gene\n"),
        IoError::NoSamples { line: 1, .. }
    ));
    assert!(matches!(
        counts_error("c.csv", "gene,A,\ng1,1,2\n"),
        IoError::EmptySampleName {
            line: 1,
            column: 3,
            ..
        }
    ));
}

#[test]
fn empty_gene_id_bad_quote_and_bad_utf8() {
    assert!(matches!(
        counts_error("c.csv", "gene,A\n,1\n"),
        IoError::EmptyGeneId { line: 2, .. }
    ));
    assert!(matches!(
        counts_error("c.csv", "gene,A\n\"g1,1\n"),
        IoError::UnterminatedQuote { line: 2, .. }
    ));
    let scratch = Scratch::new();
    let error = read_counts(scratch.write("c.csv", b"gene,A\ng\xff,1\n")).unwrap_err();
    assert!(
        matches!(error, IoError::InvalidUtf8 { line: 2, .. }),
        "{error:?}"
    );
    let error = read_counts(scratch.0.join("does-not-exist.tsv")).unwrap_err();
    assert!(matches!(error, IoError::Read { .. }), "{error:?}");
}

#[test]
fn quoted_cells_and_mixed_rows_take_the_careful_path() {
    let scratch = Scratch::new();
    let content = "gene,A,B\n\"g1\",\"3\",4\ng2,5,\"6\"\n\"g \"\"3\"\"\",7,8\r\ng4,9,10";
    let table = read_counts(scratch.write("c.csv", content)).unwrap();
    assert_eq!(table.genes, strings(&["g1", "g2", "g \"3\"", "g4"]));
    assert_eq!(table.counts, [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]);
    // featureCounts with CRLF line endings and a final line without newline.
    let content = "Geneid\tChr\tStart\tEnd\tStrand\tLength\ta.bam\tb.bam\r\n\
        g1\tc\t1\t9\t+\t9\t1\t2\r\ng2\tc\t1\t9\t+\t9\t3\t4";
    let table = read_counts(scratch.write("fc.tsv", content)).unwrap();
    assert_eq!(table.samples, strings(&["a", "b"]));
    assert_eq!(table.counts, [1.0, 2.0, 3.0, 4.0]);
}

#[test]
fn count_parsing_edge_cases() {
    let scratch = Scratch::new();
    let content = "gene,A,B,C,D\ng1, 7 ,-0,1E3,123456789012345678\n";
    let table = read_counts(scratch.write("c.csv", content)).unwrap();
    assert_eq!(table.counts, [7.0, 0.0, 1000.0, 123456789012345678.0]);
    assert!(table.counts[1].is_sign_positive());
}

const SHEET: &str = "sample,condition,age,batch\nA,ctrl,31,b1\nB,trt,NA,b2\nC,trt,40.5,\n";

#[test]
fn reads_sample_sheet_and_classifies_columns() {
    let scratch = Scratch::new();
    let sheet = read_sample_sheet(scratch.write("samples.csv", SHEET)).unwrap();
    assert_eq!(sheet.id_column, "sample");
    assert_eq!(sheet.ids, strings(&["A", "B", "C"]));
    assert_eq!(sheet.lines, [2, 3, 4]);
    assert_eq!(sheet.columns.len(), 3);
    let condition = sheet.column("condition").unwrap();
    assert!(!condition.is_numeric());
    assert_eq!(
        condition.values,
        [
            Some("ctrl".to_string()),
            Some("trt".to_string()),
            Some("trt".to_string())
        ]
    );
    let age = sheet.column("age").unwrap();
    let numbers = age.numeric.as_ref().unwrap();
    assert_eq!((numbers[0], numbers[2]), (31.0, 40.5));
    assert!(numbers[1].is_nan());
    assert_eq!(sheet.column("batch").unwrap().values[2], None);
}

#[test]
fn sample_sheet_missing_value_error_names_column_and_sample() {
    let scratch = Scratch::new();
    let sheet = read_sample_sheet(scratch.write("samples.csv", SHEET)).unwrap();
    assert!(sheet.complete_column("condition").is_ok());
    let error = sheet.complete_column("batch").unwrap_err();
    assert!(
        matches!(&error, IoError::MissingCovariate { line: 4, column, sample, .. }
            if column == "batch" && sample == "C"),
        "{error:?}"
    );
    let error = sheet.complete_column("tissue").unwrap_err();
    assert!(
        matches!(&error, IoError::UnknownColumn { column, available, .. }
            if column == "tissue" && available.len() == 3),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("columns are: condition, age, batch"));
}

#[test]
fn sample_sheet_layout_variants() {
    let scratch = Scratch::new();
    // R's write.table(sep = "\t") header (no row-name cell), with CRLF.
    let content = "\"condition\"\t\"dose\"\r\n\"A\"\t\"ctrl\"\t1\r\n\"B\"\t\"trt\"\t2\r\n";
    let sheet = read_sample_sheet(scratch.write("s.tsv", content)).unwrap();
    assert_eq!(sheet.id_column, "");
    assert_eq!(sheet.ids, strings(&["A", "B"]));
    let names: Vec<&str> = sheet.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["condition", "dose"]);
    assert_eq!(sheet.columns[1].numeric, Some(vec![1.0, 2.0]));

    // Spreadsheet export: trailing separators and an all-empty row.
    let content = "sample,condition,dose,\nA,ctrl,1,\n,,,\nB,trt,2,\n";
    let sheet = read_sample_sheet(scratch.write("s.csv", content)).unwrap();
    assert_eq!(sheet.id_column, "sample");
    assert_eq!(sheet.ids, strings(&["A", "B"]));
    assert_eq!(sheet.lines, [2, 4]);
    let names: Vec<&str> = sheet.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["condition", "dose"]);
}

#[test]
fn sample_sheet_errors() {
    let scratch = Scratch::new();
    let read = |content: &str| read_sample_sheet(scratch.write("s.csv", content)).unwrap_err();
    let error = read("id,c\nA,x\nB,y\nA,z\n");
    assert!(
        matches!(&error, IoError::DuplicateSheetSample { sample, first_line: 2, second_line: 4, .. } if sample == "A"),
        "{error:?}"
    );
    assert!(matches!(
        read("id,c\nNA,x\n"),
        IoError::EmptySampleId { line: 2, .. }
    ));
    assert!(matches!(
        read("id,c,c\nA,x,y\n"),
        IoError::DuplicateColumn { line: 1, .. }
    ));
    assert!(matches!(
        read("id,c\nA,x\nB\n"),
        IoError::RaggedRow {
            line: 3,
            expected: 2,
            found: 1,
            ..
        }
    ));
    assert!(matches!(read("id,c\n"), IoError::HeaderOnly { .. }));
    assert!(matches!(
        read("id,c\nA,x,\n"),
        IoError::RaggedRow {
            line: 2,
            expected: 2,
            found: 3,
            ..
        }
    ));
    assert!(matches!(read(""), IoError::EmptyFile { .. }));
}

#[test]
fn matching_samples() {
    let scratch = Scratch::new();
    let sheet = read_sample_sheet(scratch.write("samples.csv", SHEET)).unwrap();
    let order = match_samples(&strings(&["C", "A", "B"]), &sheet).unwrap();
    assert_eq!(order, [2, 0, 1]);
    let error = match_samples(&strings(&["C", "X", "Y"]), &sheet).unwrap_err();
    assert!(
        matches!(&error, IoError::SampleMismatch { only_in_sheet, only_in_counts, .. }
            if *only_in_sheet == strings(&["A", "B"]) && *only_in_counts == strings(&["X", "Y"])),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("in the sample sheet but not in the counts (2): A, B."));
    assert!(message.contains("in the counts but not in the sample sheet (2): X, Y."));
}

#[test]
fn output_dir_commit_replace_and_drop() {
    let scratch = Scratch::new();
    let target = scratch.0.join("results");
    let output = OutputDir::create(&target).unwrap();
    let temporary = output.path().to_path_buf();
    let name = temporary
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with(&format!(".results.tmp-{}-", std::process::id())),
        "{name}"
    );
    std::fs::write(output.file("a.txt"), "first").unwrap();
    assert!(!target.exists());
    assert_eq!(output.commit().unwrap(), target);
    assert!(!temporary.exists());
    assert_eq!(
        std::fs::read_to_string(target.join("a.txt")).unwrap(),
        "first"
    );

    // A second run replaces the first one's folder completely.
    let output = OutputDir::create(&target).unwrap();
    std::fs::write(output.file("b.txt"), "second").unwrap();
    output.commit().unwrap();
    assert!(!target.join("a.txt").exists());
    assert_eq!(
        std::fs::read_to_string(target.join("b.txt")).unwrap(),
        "second"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["results"]);

    // Dropped without commit: the temporary folder disappears, target intact.
    let output = OutputDir::create(&target).unwrap();
    let temporary = output.path().to_path_buf();
    std::fs::write(output.file("c.txt"), "third").unwrap();
    assert!(temporary.exists());
    drop(output);
    assert!(!temporary.exists());
    assert!(target.join("b.txt").exists());
}

#[test]
fn output_dir_refuses_to_replace_foreign_data() {
    let scratch = Scratch::new();
    let folder = scratch.0.join("precious");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("thesis.docx"), "x").unwrap();
    let error = OutputDir::create(&folder).unwrap().commit().unwrap_err();
    assert!(matches!(error, IoError::OutputExists { .. }), "{error:?}");
    assert!(folder.join("thesis.docx").exists());
    let file = scratch.write("counts.tsv", "x");
    let error = OutputDir::create(&file).unwrap().commit().unwrap_err();
    assert!(matches!(error, IoError::OutputExists { .. }), "{error:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    // An empty folder may be used.
    let empty = scratch.0.join("empty");
    std::fs::create_dir(&empty).unwrap();
    OutputDir::create(&empty).unwrap().commit().unwrap();
    assert!(empty.join(OUTPUT_MARKER).exists());
}

#[test]
fn write_table_is_exact_and_checks_lengths() {
    let scratch = Scratch::new();
    let path = scratch.0.join("res.tsv");
    let genes = strings(&["g1", "g2", "g\t3"]);
    let labels = ["x", "y", "z"];
    write_table(
        &path,
        &["gene", "label", "value"],
        &[
            Column::Text(&genes),
            Column::Str(&labels),
            Column::Numbers(&[1.0, f64::NEG_INFINITY, 3.0e-7]),
        ],
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "gene\tlabel\tvalue\ng1\tx\t1\ng2\ty\t-Inf\n\"g\t3\"\tz\t3e-07\n"
    );
    let error = write_table(
        &path,
        &["gene", "value"],
        &[Column::Text(&genes), Column::Numbers(&[1.0])],
    )
    .unwrap_err();
    assert!(
        matches!(&error, IoError::ColumnLength { column, expected: 3, found: 1, .. } if column == "value"),
        "{error:?}"
    );
}

#[test]
fn write_errors_name_the_path() {
    let scratch = Scratch::new();
    let path = scratch.0.join("no-such-folder").join("res.tsv");
    let error = write_table(&path, &["x"], &[Column::Numbers(&[1.0])]).unwrap_err();
    assert!(
        matches!(&error, IoError::Write { path: p, .. } if *p == path),
        "{error:?}"
    );
    assert!(error.to_string().contains("no-such-folder"));
}

#[test]
fn sha256_of_file() {
    let scratch = Scratch::new();
    // printf '' | sha256sum
    let empty = scratch.write("empty", "");
    assert_eq!(
        sha256_file(&empty).unwrap(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    // printf 'abc' | sha256sum
    let abc = scratch.write("abc", "abc");
    assert_eq!(
        sha256_file(abc).unwrap(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

/// Writes a realistic matrix and checks the whole pipeline round-trips
/// through `write_table` and `read_counts`.
#[test]
fn written_counts_read_back() {
    let scratch = Scratch::new();
    let path = scratch.0.join("big.tsv");
    let genes: Vec<String> = (0..500).map(|i| format!("ENSG{i:011}")).collect();
    let a: Vec<f64> = (0..500).map(|i| (i * 37 % 1001) as f64).collect();
    let b: Vec<f64> = (0..500).map(|i| (i as f64).powi(3)).collect();
    write_table(
        &path,
        &["gene", "A", "B"],
        &[
            Column::Text(&genes),
            Column::Numbers(&a),
            Column::Numbers(&b),
        ],
    )
    .unwrap();
    let table = read_counts(&path).unwrap();
    assert_eq!(table.genes, genes);
    for (row, (&x, &y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(table.row(row), [x, y]);
    }
}

/// The chunks `stream_lines_in_chunks` hands on for `text` with a given
/// initial chunk size: `(text, first line number)`.
fn streamed_chunks(text: &[u8], chunk_size: usize) -> Result<Vec<(String, usize)>, IoError> {
    let mut chunks = Vec::new();
    crate::delimited::stream_lines_in_chunks(
        text,
        std::path::Path::new("streamed.txt"),
        false,
        chunk_size,
        |chunk, first_line| {
            chunks.push((chunk.to_string(), first_line));
            Ok(())
        },
    )?;
    Ok(chunks)
}

#[test]
fn streaming_hands_on_whole_lines_with_their_numbers() {
    let long_line = "x".repeat(37);
    let text =
        format!("\u{feff}first\r\nsecond\n\n{long_line}\nünïcode line\nlast without newline");
    let expected_body = text.trim_start_matches('\u{feff}');
    for chunk_size in 1..=48 {
        let chunks = streamed_chunks(text.as_bytes(), chunk_size).unwrap();
        let joined: String = chunks.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(joined, expected_body, "chunk size {chunk_size}");
        let mut line = 1;
        for (index, (chunk, first_line)) in chunks.iter().enumerate() {
            assert_eq!(*first_line, line, "chunk size {chunk_size}, chunk {index}");
            if index + 1 < chunks.len() {
                assert!(chunk.ends_with('\n'), "chunk size {chunk_size}: {chunk:?}");
            }
            line += chunk.matches('\n').count();
        }
    }
    assert!(streamed_chunks(b"", 4).unwrap().is_empty());
}

#[test]
fn streaming_reports_the_line_of_invalid_utf8() {
    let mut text = b"a\nb\nc\n".repeat(5);
    text.extend_from_slice(b"bad \xff byte\nafter\n");
    for chunk_size in [1, 3, 8, 1024] {
        let error = streamed_chunks(&text, chunk_size).unwrap_err();
        assert!(
            matches!(error, IoError::InvalidUtf8 { line: 16, .. }),
            "chunk size {chunk_size}: {error}"
        );
    }
}

/// A GAF of `genes` × `terms_per_gene` lines (with a header and a NOT line).
fn synthetic_gaf(genes: usize, terms_per_gene: usize) -> String {
    let mut text = String::from("!gaf-version: 2.2\n!date-generated: 2022-07-01\n");
    for gene in 0..genes {
        for term in 0..terms_per_gene {
            let qualifier = if (gene + term) % 17 == 0 {
                "NOT|enables"
            } else {
                "enables"
            };
            text.push_str(&format!(
                "UniProtKB\tP{gene:05}\tG{gene}\t{qualifier}\tGO:{:07}\tPMID:1\t{}\t\tF\tgene {gene}\tS{gene}|T{gene}\tprotein\ttaxon:9606\t20220101\tUniProt\t\t\n",
                (gene * 7 + term) % 400,
                ["IDA", "IEA", "TAS"][term % 3]
            ));
        }
    }
    text
}

#[test]
fn streamed_gaf_equals_gaf_parsed_in_memory() {
    let scratch = Scratch::new();
    let text = synthetic_gaf(3000, 7);
    assert!(text.len() > 3 * (1 << 18), "spans several stream chunks");
    // The reference: the whole text handed to the parser at once.
    let source = std::path::Path::new("x.gaf");
    let in_memory = gaf::parse_gaf_in_chunks(text.as_bytes(), source, text.len() + 1).unwrap();
    for chunk_size in [777, 1 << 12] {
        let chunked = gaf::parse_gaf_in_chunks(text.as_bytes(), source, chunk_size).unwrap();
        assert_eq!(chunked, in_memory, "chunk size {chunk_size}");
    }
    assert_eq!(gaf::parse_gaf(text.as_bytes(), source).unwrap(), in_memory);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).unwrap();
    let compressed = encoder.finish().unwrap();
    for path in [
        scratch.write("plain.gaf", &text),
        scratch.write("packed.gaf.gz", &compressed),
    ] {
        let streamed = gaf::read_gaf(&path).unwrap();
        assert_eq!(streamed.annotations, in_memory.annotations);
        assert_eq!(streamed.genes, in_memory.genes);
        assert_eq!(streamed.terms, in_memory.terms);
        assert_eq!(streamed.not_qualified, in_memory.not_qualified);
        assert_eq!(streamed.header, in_memory.header);
    }
    let from_bytes = gaf::parse_gaf(&compressed, std::path::Path::new("x.gaf.gz")).unwrap();
    assert_eq!(from_bytes.annotations, in_memory.annotations);
    // A truncated download is a gzip error naming the file, not a short read.
    let truncated = scratch.write("cut.gaf.gz", &compressed[..compressed.len() / 2]);
    let error = gaf::read_gaf(&truncated).unwrap_err();
    assert!(
        matches!(&error, IoError::Gzip { path, .. } if path == &truncated),
        "{error}"
    );
    let error = obo::read_obo(&truncated).unwrap_err();
    assert!(matches!(&error, IoError::Gzip { .. }), "{error}");
    // An error deep in the file names its line.
    let broken = format!("{text}UniProtKB\tP1\tX\n");
    let error = gaf::read_gaf(scratch.write("broken.gaf", &broken)).unwrap_err();
    let last_line = broken.matches('\n').count();
    assert!(
        matches!(error, IoError::GafColumns { line, found: 3, .. } if line == last_line),
        "{error}"
    );
}

#[test]
fn term_defined_twice_names_both_lines_even_across_chunks() {
    let scratch = Scratch::new();
    let mut text = String::from("format-version: 1.2\n");
    for id in 0..20000 {
        text.push_str(&format!(
            "\n[Term]\nid: GO:{id:07}\nname: term {id}\nnamespace: biological_process\n"
        ));
    }
    text.push_str("\n[Term]\nid: GO:0000003\nname: again\n");
    let error = obo::read_obo(scratch.write("dup.obo", &text)).unwrap_err();
    let second_line = text.matches('\n').count() - 2;
    assert!(
        matches!(&error, IoError::OboDuplicateTerm { term, first_line: 18, second_line: s, .. }
            if term == "GO:0000003" && *s == second_line),
        "{error}"
    );
}

#[test]
fn newline_count_matches_a_plain_count_across_block_edges() {
    for length in [0, 1, 254, 255, 256, 510, 511, 1000] {
        // Every byte a newline (the most a block can hold) and a mixture.
        let all = vec![b'\n'; length];
        assert_eq!(crate::delimited::count_newlines(&all), length);
        let mixed: Vec<u8> = (0..length)
            .map(|i| if i % 3 == 0 { b'\n' } else { b'x' })
            .collect();
        let expected = mixed.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(crate::delimited::count_newlines(&mixed), expected);
    }
}
