//! Cohort statistics for clinical and laboratory tables: group comparisons,
//! survival and competing risks, biomarker time courses and reference-interval
//! flags. Pure computation: tables arrive parsed by `osteon-io`.

pub mod compare;
pub mod reference_interval;
pub mod survival;
pub mod trajectory;
