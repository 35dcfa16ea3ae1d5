//! mesh_syntax: everything from source text to AST — spans and the source map, the diagnostic
//! type and its renderers, the hand-written lexer, the lalrpop grammar and the AST with its
//! printer. No IO happens here: the driver reads files and hands text in.
#![forbid(unsafe_code)]

pub mod ast;
pub mod comments;
pub mod diagnostic;
pub mod lexer;
pub mod parser;
pub mod printer;
pub mod span;
pub mod token;
