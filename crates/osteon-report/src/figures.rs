//! figures (placeholder, being written).
