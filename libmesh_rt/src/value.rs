//! Runtime representations of Mesh values and their Display forms.

pub mod display;
pub mod json;
pub mod string;
