use osteon_deseq::dispersion::*;
use osteon_stats::linalg::Matrix;
fn main() {
    let y = [
        7364., 11824., 12996., 8497., 8573., 7187., 4790., 5071., 6486.,
    ];
    let mu = [
        7867.9650135023876,
        11013.568453967762,
        13121.070713564623,
        7312.8396907108136,
        8937.5885588666442,
        8177.6039412286691,
        4888.498963481471,
        4641.1310029587912,
        6992.784441196598,
    ];
    let groups = [0usize, 0, 0, 1, 1, 1, 2, 2, 2];
    let samples =
        std::fs::read_to_string("crates/osteon-cli/tests/golden/deseq2/no_intercept/samples.csv")
            .unwrap();
    println!("{}", samples);
    let mut x = Matrix::zeros(9, 3);
    for (j, g) in groups.iter().enumerate() {
        x[(j, *g)] = 1.0;
    }
    let plan = GramPlan::new(&x);
    let (map, it) = map_estimate(
        &y,
        &mu,
        &x,
        &plan,
        0.010866600131132498,
        0.052383902221438634,
        0.29480460534417546,
    );
    println!("{:.17e} {}", map, it);
    let obj = Objective {
        y: &y,
        mu: &mu,
        x: &x,
        plan: &plan,
        prior: Some((0.052383902221438634f64.ln(), 0.29480460534417546)),
    };
    let ls = line_search(&obj, 0.010866600131132498f64.ln(), (1e-9f64).ln());
    println!("{:?}", ls);
}
