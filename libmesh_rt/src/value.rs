//! Runtime representations of Mesh values and their Display forms.

pub mod display;
pub mod generic;
pub mod iter;
pub mod json;
pub mod list;
pub mod map;
pub mod row;
pub mod set;
pub mod string;
pub mod typedesc;
