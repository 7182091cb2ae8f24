//! Design formulas and model matrices, as R's `model.matrix` builds them and
//! DESeq2 names them.
//!
//! A formula such as `~ batch + condition`, `~ age + genotype*treatment` or
//! `~ 0 + group` is parsed with R's operator precedence (`:` binds tighter
//! than `*`, which binds tighter than `+`/`-`), expanded into terms, ordered
//! by degree as `terms.formula` does, and coded with treatment contrasts
//! (Chambers & Hastie, *Statistical Models in S*, 1992, ch. 2; R's
//! `model.matrix`): a factor in a term is coded by contrasts when the term
//! without it is also in the model (the intercept counting as the empty term),
//! and by full indicators otherwise. Column names follow DESeq2 1.38.3's
//! `fitNbinomGLMs` renaming (`Intercept`, `make.names`, and
//! `var_level_vs_reference` for factor main effects in models with an
//! intercept), so `--name` accepts exactly what `resultsNames()` prints.

use crate::Error;
use osteon_stats::glm_fit::LinpackQr;
use osteon_stats::linalg::Matrix;

/// One sample-level variable, as the design sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Covariate {
    /// A factor: `levels[codes[j]]` is sample j's level; `levels[0]` is the
    /// reference level.
    Factor {
        levels: Vec<String>,
        codes: Vec<usize>,
    },
    /// A numeric covariate.
    Numeric(Vec<f64>),
}

/// The sample table a design is built from: named covariates over samples.
#[derive(Debug, Clone, Default)]
pub struct SampleData {
    pub sample_names: Vec<String>,
    pub variables: Vec<(String, Covariate)>,
}

impl SampleData {
    /// Looks a variable up by name.
    pub fn get(&self, name: &str) -> Option<&Covariate> {
        self.variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c)
    }

    /// Builds a factor from raw strings with R's default level order
    /// (sorted), or with `reference` moved to the front (`relevel`).
    pub fn factor_from_strings(
        values: &[String],
        reference: Option<&str>,
    ) -> Result<Covariate, String> {
        let mut levels: Vec<String> = values.to_vec();
        levels.sort_by(|a, b| collate(a, b));
        levels.dedup();
        if let Some(r) = reference {
            let pos = levels.iter().position(|l| l == r).ok_or_else(|| {
                format!(
                    "reference level '{r}' is not among the levels ({})",
                    levels.join(", ")
                )
            })?;
            let lv = levels.remove(pos);
            levels.insert(0, lv);
        }
        let codes = values
            .iter()
            .map(|v| levels.iter().position(|l| l == v).expect("level present"))
            .collect();
        Ok(Covariate::Factor { levels, codes })
    }
}

/// String order approximating R's `sort()` in an English UTF-8 locale:
/// case-insensitive first, then lower case before upper case, then bytes.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    let la = a.to_lowercase();
    let lb = b.to_lowercase();
    la.cmp(&lb)
        .then_with(|| {
            // lower case sorts before upper case at the first difference
            for (ca, cb) in a.chars().zip(b.chars()) {
                if ca != cb {
                    return cb.is_lowercase().cmp(&ca.is_lowercase());
                }
            }
            std::cmp::Ordering::Equal
        })
        .then_with(|| a.cmp(b))
}

/// A parsed, expanded formula: whether it has an intercept and its terms,
/// each a list of variable names, ordered as R's `terms()` orders them.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub text: String,
    pub intercept: bool,
    pub terms: Vec<Vec<String>>,
    /// Variables in order of first appearance.
    pub variables: Vec<String>,
}

impl Formula {
    /// Parses R formula syntax: `~ a + b`, `~ a*b`, `~ a:b`, `~ 0 + a`,
    /// `~ a - 1`, `~ 1`, parentheses and `(a + b)^2`.
    pub fn parse(text: &str) -> Result<Formula, Error> {
        let err = |msg: String| Error::Formula {
            formula: text.to_string(),
            message: msg,
        };
        let t = text.trim();
        let body = t
            .strip_prefix('~')
            .ok_or_else(|| err("a design formula starts with '~', e.g. \"~ condition\"".into()))?;
        let tokens = tokenize(body).map_err(err)?;
        let mut parser = Parser {
            tokens: &tokens,
            pos: 0,
            variables: Vec::new(),
        };
        let expr = parser.expr().map_err(err)?;
        if parser.pos != tokens.len() {
            return Err(err(format!(
                "unexpected '{}'",
                tokens[parser.pos].describe()
            )));
        }
        let variables = parser.variables;
        let mut intercept = true;
        let mut terms: Vec<Vec<String>> = Vec::new();
        for (sign, item) in expr {
            match item {
                TermItem::One => intercept = sign,
                TermItem::Zero => intercept = !sign,
                TermItem::Vars(mut vars) => {
                    vars.sort_by_key(|v| variables.iter().position(|x| x == v));
                    vars.dedup();
                    if sign {
                        if !terms.contains(&vars) {
                            terms.push(vars);
                        }
                    } else {
                        terms.retain(|t| t != &vars);
                    }
                }
            }
        }
        // terms.formula orders by degree, stable within a degree.
        terms.sort_by_key(|t| t.len());
        let used: Vec<String> = variables
            .iter()
            .filter(|v| terms.iter().any(|t| t.contains(v)))
            .cloned()
            .collect();
        Ok(Formula {
            text: t.to_string(),
            intercept,
            terms,
            variables: used,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Number(String),
    Op(char),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Name(s) | Token::Number(s) => s.clone(),
            Token::Op(c) => c.to_string(),
        }
    }
}

fn tokenize(s: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if "+-*:()^".contains(c) {
            out.push(Token::Op(c));
            i += 1;
        } else if c == '`' {
            let start = i + 1;
            let end = chars[start..]
                .iter()
                .position(|&x| x == '`')
                .ok_or("unterminated backquote")?;
            out.push(Token::Name(chars[start..start + end].iter().collect()));
            i = start + end + 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            out.push(Token::Number(chars[start..i].iter().collect()));
        } else if c.is_alphanumeric() || c == '.' || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            out.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            return Err(format!("unsupported character '{c}' in formula"));
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq)]
enum TermItem {
    One,
    Zero,
    Vars(Vec<String>),
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    variables: Vec<String>,
}

type Signed = Vec<(bool, TermItem)>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn expr(&mut self) -> Result<Signed, String> {
        let mut out = Vec::new();
        let mut sign = true;
        if self.peek() == Some(&Token::Op('-')) {
            self.pos += 1;
            sign = false;
        }
        loop {
            let items = self.product()?;
            out.extend(items.into_iter().map(|it| (sign, it)));
            match self.peek() {
                Some(Token::Op('+')) => {
                    sign = true;
                    self.pos += 1;
                }
                Some(Token::Op('-')) => {
                    sign = false;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// `a * b` → a + b + a:b.
    fn product(&mut self) -> Result<Vec<TermItem>, String> {
        let mut acc = self.power()?;
        while self.peek() == Some(&Token::Op('*')) {
            self.pos += 1;
            let rhs = self.power()?;
            let inter = interact(&acc, &rhs);
            let mut all = acc.clone();
            for t in rhs.into_iter().chain(inter) {
                if !all.contains(&t) {
                    all.push(t);
                }
            }
            acc = all;
        }
        Ok(acc)
    }

    /// `(a + b)^k` → all interactions up to order k.
    fn power(&mut self) -> Result<Vec<TermItem>, String> {
        let base = self.interaction()?;
        if self.peek() == Some(&Token::Op('^')) {
            self.pos += 1;
            let k: usize = match self.peek() {
                Some(Token::Number(n)) => n.parse().map_err(|_| format!("bad power '{n}'"))?,
                _ => return Err("'^' needs a whole number".into()),
            };
            self.pos += 1;
            let mut acc = base.clone();
            for _ in 1..k {
                let inter = interact(&acc, &base);
                for t in inter {
                    if !acc.contains(&t) {
                        acc.push(t);
                    }
                }
            }
            return Ok(acc);
        }
        Ok(base)
    }

    fn interaction(&mut self) -> Result<Vec<TermItem>, String> {
        let mut acc = self.atom()?;
        while self.peek() == Some(&Token::Op(':')) {
            self.pos += 1;
            let rhs = self.atom()?;
            acc = interact(&acc, &rhs);
        }
        Ok(acc)
    }

    fn atom(&mut self) -> Result<Vec<TermItem>, String> {
        match self.peek().cloned() {
            Some(Token::Name(n)) => {
                self.pos += 1;
                if !self.variables.contains(&n) {
                    self.variables.push(n.clone());
                }
                Ok(vec![TermItem::Vars(vec![n])])
            }
            Some(Token::Number(n)) => {
                self.pos += 1;
                match n.as_str() {
                    "1" => Ok(vec![TermItem::One]),
                    "0" => Ok(vec![TermItem::Zero]),
                    _ => Err(format!(
                        "unexpected number '{n}' (only 0 and 1 are allowed)"
                    )),
                }
            }
            Some(Token::Op('(')) => {
                self.pos += 1;
                let inner = self.expr()?;
                if self.peek() != Some(&Token::Op(')')) {
                    return Err("missing ')'".into());
                }
                self.pos += 1;
                Ok(inner
                    .into_iter()
                    .filter(|(s, _)| *s)
                    .map(|(_, t)| t)
                    .collect())
            }
            Some(t) => Err(format!("unexpected '{}'", t.describe())),
            None => Err("the formula ends too early".into()),
        }
    }
}

fn interact(a: &[TermItem], b: &[TermItem]) -> Vec<TermItem> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let item = match (x, y) {
                (TermItem::Vars(u), TermItem::Vars(v)) => {
                    let mut w = u.clone();
                    for n in v {
                        if !w.contains(n) {
                            w.push(n.clone());
                        }
                    }
                    TermItem::Vars(w)
                }
                (TermItem::One, o) | (o, TermItem::One) => o.clone(),
                _ => continue,
            };
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

/// A model matrix with the names DESeq2 gives its columns.
#[derive(Debug, Clone)]
pub struct Design {
    pub formula: Formula,
    /// samples × coefficients.
    pub matrix: Matrix,
    /// `resultsNames()`: DESeq2's coefficient names.
    pub coef_names: Vec<String>,
    /// R's `colnames(model.matrix(...))`.
    pub model_matrix_names: Vec<String>,
    /// For each column, the index of the term it codes (`None` = intercept).
    pub assign: Vec<Option<usize>>,
}

impl Design {
    /// Builds the model matrix for `formula` over `data` and checks that it
    /// has full column rank.
    pub fn build(formula: &Formula, data: &SampleData) -> Result<Design, Error> {
        let m = data.sample_names.len();
        for v in &formula.variables {
            let cov = data.get(v).ok_or_else(|| Error::UnknownVariable {
                variable: v.clone(),
                available: data.variables.iter().map(|(n, _)| n.clone()).collect(),
            })?;
            if let Covariate::Factor { levels, .. } = cov {
                if levels.len() < 2 {
                    return Err(Error::SingleLevelFactor {
                        variable: v.clone(),
                        level: levels.first().cloned().unwrap_or_default(),
                    });
                }
            }
        }
        let mut columns: Vec<Vec<f64>> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut assign = Vec::new();
        if formula.intercept {
            columns.push(vec![1.0; m]);
            names.push("(Intercept)".into());
            assign.push(None);
        }
        // Without an intercept, the first factor main effect is coded by full
        // indicators and then stands in for the intercept (R's `TermCode`).
        let mut intercept_like = formula.intercept;
        for (ti, term) in formula.terms.iter().enumerate() {
            // Per variable in the term: its coding columns (values, name suffixes).
            let mut parts: Vec<Vec<(Vec<f64>, String)>> = Vec::new();
            for v in term {
                let cov = data.get(v).expect("checked above");
                let coded = match cov {
                    Covariate::Numeric(x) => vec![(x.clone(), v.clone())],
                    Covariate::Factor { levels, codes } => {
                        let rest: Vec<String> = term.iter().filter(|x| *x != v).cloned().collect();
                        let by_contrast = if rest.is_empty() {
                            let coded = intercept_like;
                            intercept_like = true;
                            coded
                        } else {
                            formula.terms.iter().any(|t| {
                                t.len() == rest.len() && rest.iter().all(|r| t.contains(r))
                            })
                        };
                        let start = usize::from(by_contrast);
                        (start..levels.len())
                            .map(|l| {
                                let col =
                                    codes.iter().map(|&c| f64::from(u8::from(c == l))).collect();
                                (col, format!("{v}{}", levels[l]))
                            })
                            .collect()
                    }
                };
                parts.push(coded);
            }
            // Expand with the first variable varying fastest.
            let mut combos: Vec<(Vec<f64>, String)> = vec![(vec![1.0; m], String::new())];
            for part in &parts {
                let mut next = Vec::new();
                for (pcol, pname) in part {
                    for (ccol, cname) in &combos {
                        let col = ccol.iter().zip(pcol).map(|(a, b)| a * b).collect();
                        let name = if cname.is_empty() {
                            pname.clone()
                        } else {
                            format!("{cname}:{pname}")
                        };
                        next.push((col, name));
                    }
                }
                combos = next;
            }
            for (col, name) in combos {
                columns.push(col);
                names.push(name);
                assign.push(Some(ti));
            }
        }
        let p = columns.len();
        if p == 0 {
            return Err(Error::Formula {
                formula: formula.text.clone(),
                message: "the design has no columns".into(),
            });
        }
        let mut matrix = Matrix::zeros(m, p);
        for (j, col) in columns.iter().enumerate() {
            for i in 0..m {
                matrix[(i, j)] = col[i];
            }
        }
        let coef_names = deseq_names(&names, formula, data);
        if m < p {
            return Err(Error::NotFullRank {
                confounded: coef_names.clone(),
                detail: format!("{p} coefficients but only {m} samples"),
            });
        }
        // R's checkFullRank: qr(X)$rank with LINPACK's limited pivoting, which
        // moves columns that depend on earlier ones to the end.
        let col_major: Vec<f64> = (0..p)
            .flat_map(|k| (0..m).map(move |i| (i, k)))
            .map(|(i, k)| matrix[(i, k)])
            .collect();
        let qr = LinpackQr::new(col_major, m, p, 1e-7);
        if qr.rank < p {
            let mut dependent: Vec<usize> = qr.pivot[qr.rank..].to_vec();
            dependent.sort_unstable();
            let dep: Vec<String> = dependent
                .into_iter()
                .map(|k| coef_names[k].clone())
                .collect();
            return Err(Error::NotFullRank {
                confounded: dep,
                detail: "these columns are linear combinations of earlier ones (e.g. a covariate \
                         confounded with another, or a level combination with no samples)"
                    .into(),
            });
        }
        Ok(Design {
            formula: formula.clone(),
            matrix,
            coef_names,
            model_matrix_names: names,
            assign,
        })
    }

    pub fn n_coef(&self) -> usize {
        self.matrix.cols()
    }

    pub fn n_samples(&self) -> usize {
        self.matrix.rows()
    }

    /// Index of the coefficient DESeq2 calls `name`.
    pub fn coef_index(&self, name: &str) -> Option<usize> {
        self.coef_names.iter().position(|n| n == name)
    }

    /// Groups of samples sharing a design row, keyed as DESeq2 keys them.
    /// Returns, for each sample, the number of samples with an identical row.
    pub fn row_multiplicity(&self) -> Vec<usize> {
        let m = self.n_samples();
        (0..m)
            .map(|i| {
                (0..m)
                    .filter(|&k| self.matrix.row(k) == self.matrix.row(i))
                    .count()
            })
            .collect()
    }

    /// Number of distinct design rows.
    pub fn distinct_rows(&self) -> usize {
        let m = self.n_samples();
        (0..m)
            .filter(|&i| (0..i).all(|k| self.matrix.row(k) != self.matrix.row(i)))
            .count()
    }

    /// For each sample, the index of its cell (first sample with the same row).
    pub fn cell_of_sample(&self) -> Vec<usize> {
        let m = self.n_samples();
        (0..m)
            .map(|i| {
                (0..m)
                    .find(|&k| self.matrix.row(k) == self.matrix.row(i))
                    .expect("a row equals itself")
            })
            .collect()
    }
}

/// R's `make.names` for one name: invalid characters become '.', and a name
/// that does not start with a letter (or a dot not followed by a digit) gets
/// an 'X' prefix.
pub fn make_names(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '.'
            }
        })
        .collect();
    let first = out.chars().next();
    let needs_x = match first {
        None => true,
        Some(c) if c.is_alphabetic() => false,
        Some('.') => out.chars().nth(1).is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    };
    if needs_x {
        out.insert(0, 'X');
    }
    const RESERVED: [&str; 13] = [
        "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE",
        "NULL", "Inf", "NaN",
    ];
    if RESERVED.contains(&out.as_str()) || out == "NA" || out == "in" {
        out.push('.');
    }
    out
}

fn deseq_names(mm_names: &[String], formula: &Formula, data: &SampleData) -> Vec<String> {
    let mut names: Vec<String> = mm_names
        .iter()
        .map(|n| {
            if n == "(Intercept)" {
                "Intercept".to_string()
            } else {
                make_names(n)
            }
        })
        .collect();
    if formula.intercept {
        for v in &formula.variables {
            if let Some(Covariate::Factor { levels, .. }) = data.get(v) {
                for lvl in &levels[1..] {
                    let from = make_names(&format!("{v}{lvl}"));
                    let to = make_names(&format!("{v}_{lvl}_vs_{}", levels[0]));
                    if let Some(pos) = names.iter().position(|n| *n == from) {
                        names[pos] = to;
                    }
                }
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(v: &[&str]) -> Covariate {
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        SampleData::factor_from_strings(&s, None).unwrap()
    }

    fn data() -> SampleData {
        SampleData {
            sample_names: (0..8).map(|i| format!("s{i}")).collect(),
            variables: vec![
                (
                    "genotype".into(),
                    factor(&["WT", "WT", "KO", "KO", "WT", "WT", "KO", "KO"]),
                ),
                (
                    "treatment".into(),
                    factor(&["ctl", "trt", "ctl", "trt", "ctl", "trt", "ctl", "trt"]),
                ),
                (
                    "age".into(),
                    Covariate::Numeric(vec![30., 41., 35., 52., 60., 45., 38., 49.]),
                ),
            ],
        }
    }

    #[test]
    fn star_expands_and_orders_by_degree() {
        let f = Formula::parse("~ genotype*treatment + age").unwrap();
        assert!(f.intercept);
        assert_eq!(
            f.terms,
            vec![
                vec!["genotype".to_string()],
                vec!["treatment".to_string()],
                vec!["age".to_string()],
                vec!["genotype".to_string(), "treatment".to_string()],
            ]
        );
    }

    #[test]
    fn interaction_names_match_deseq2() {
        // Levels sort KO < WT, so WT is made the reference with relevel; DESeq2
        // then names the columns as below (resultsNames(dds)).
        let mut d = data();
        let g: Vec<String> = ["WT", "WT", "KO", "KO", "WT", "WT", "KO", "KO"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        d.variables[0].1 = SampleData::factor_from_strings(&g, Some("WT")).unwrap();
        let f = Formula::parse("~genotype*treatment").unwrap();
        let design = Design::build(&f, &d).unwrap();
        assert_eq!(
            design.coef_names,
            vec![
                "Intercept",
                "genotype_KO_vs_WT",
                "treatment_trt_vs_ctl",
                "genotypeKO.treatmenttrt"
            ]
        );
        assert_eq!(design.matrix.row(3), &[1.0, 1.0, 1.0, 1.0]);
        assert_eq!(design.matrix.row(1), &[1.0, 0.0, 1.0, 0.0]);
    }

    #[test]
    fn no_intercept_codes_first_factor_fully() {
        let d = data();
        let f = Formula::parse("~ 0 + treatment + genotype").unwrap();
        assert!(!f.intercept);
        let design = Design::build(&f, &d).unwrap();
        assert_eq!(
            design.coef_names,
            vec!["treatmentctl", "treatmenttrt", "genotypeWT"]
        );
        let f2 = Formula::parse("~ treatment - 1").unwrap();
        assert!(!f2.intercept);
    }

    #[test]
    fn confounded_design_names_the_column() {
        let mut d = data();
        d.variables.push((
            "batch".into(),
            factor(&["a", "a", "b", "b", "a", "a", "b", "b"]),
        ));
        let f = Formula::parse("~ batch + genotype").unwrap();
        match Design::build(&f, &d) {
            Err(Error::NotFullRank { confounded, .. }) => {
                assert_eq!(confounded, vec!["genotype_WT_vs_KO".to_string()])
            }
            other => panic!("expected NotFullRank, got {other:?}"),
        }
    }

    #[test]
    fn formula_errors_are_reported() {
        assert!(Formula::parse("condition").is_err());
        assert!(Formula::parse("~ a + (b").is_err());
        assert!(Formula::parse("~ a + 2").is_err());
        let f = Formula::parse("~ (a + b + c)^2").unwrap();
        assert_eq!(f.terms.len(), 6);
    }

    #[test]
    fn make_names_follows_r() {
        assert_eq!(
            make_names("genotypeKO:treatmenttrt"),
            "genotypeKO.treatmenttrt"
        );
        assert_eq!(make_names("1abc"), "X1abc");
        assert_eq!(make_names("cond_a-b"), "cond_a.b");
        assert_eq!(make_names(".5x"), "X.5x");
    }

    #[test]
    fn collation_is_case_insensitive_first() {
        let mut v = vec!["b", "A", "a", "B", "ctl", "KO"];
        v.sort_by(|a, b| collate(a, b));
        assert_eq!(v, vec!["a", "A", "b", "B", "ctl", "KO"]);
    }
}
