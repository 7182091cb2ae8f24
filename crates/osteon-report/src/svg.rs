//! svg (placeholder, being written).
