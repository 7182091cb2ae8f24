//! Pure numerical kernels shared by every Osteon analysis.
//!
//! Nothing here reads files, prints or knows about the command line. Where an
//! Osteon result must reproduce a reference tool (R, DESeq2, locfit, loess),
//! the routine here follows that tool's algorithm step by step, so that the
//! numbers agree to the last few ulps rather than "approximately".
//!
//! Modules are public and act as namespaces (`osteon_stats::special::lgammafn`)
//! because many of them mirror an R function family whose names would collide
//! if re-exported flat.

pub mod adjust;
pub mod distributions;
pub mod exact_tests;
pub mod glm_fit;
pub mod lbfgsb;
pub mod levenberg_marquardt;
pub mod libm_pow;
pub mod linalg;
pub mod locfit;
pub mod loess;
pub mod lowess;
pub mod rng;
pub mod special;
pub mod spline;
pub mod summary;
pub mod tukey;
