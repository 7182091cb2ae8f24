//! levenberg_marquardt (placeholder, being written).
