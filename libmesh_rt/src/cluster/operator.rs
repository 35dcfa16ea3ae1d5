//! Operator shapes (placeholder being written).
