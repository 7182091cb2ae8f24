//! gaf (placeholder, being written).
