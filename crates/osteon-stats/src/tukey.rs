//! tukey (placeholder, being written).
