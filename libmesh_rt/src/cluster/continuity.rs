//! stdlib §17.4 (placeholder being written).
