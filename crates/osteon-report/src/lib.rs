//! Osteon's report layer: paper-ready SVG figures and one self-contained HTML
//! report. It draws what the kernels returned and computes no statistics.

pub mod figures;
pub mod html;
pub mod svg;
