//! What a descriptor means to the codec: one case per wire form, or the refusal of a type
//! whose values cannot leave their node (runtime-cluster §3.6). Encoding and decoding read
//! descriptors only through this, so both sides agree on every type.

use super::CodecError;
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Int,
    DateTime,
    Float,
    Bool,
    Unit,
    String,
    Atom,
    Json,
    Regex,
    Pid,
    Tuple,
    Struct,
    /// A sum named `Option` of the cases `Some(T)`, `None`.
    Option,
    /// A sum named `Result` of the cases `Ok(T)`, `Err(E)`.
    Result,
    Sum,
    List,
    Map,
    Set,
    Request,
    Response,
}

fn refused(name: &str) -> CodecError {
    CodecError::NotSerialisable(name.to_string())
}

fn cases(desc: Desc, names: [&str; 2]) -> bool {
    desc.count() == 2 && desc.item(0).name() == names[0] && desc.item(1).name() == names[1]
}

/// The wire form of values of `desc`, or why they cannot be sent.
///
/// Refused: closures (`Fun`), database handles (`PgConn`, `PoolHandle`, `SqliteConn`, Int
/// ids), `Router`, `HttpClient` and `StreamHandle` (handles), `Iter`, and the builder values
/// outside §3.6's list (`Query`, `Expr`, `HttpRequest`).
pub fn of(desc: Desc) -> Result<Shape, CodecError> {
    let name = desc.name();
    Ok(match desc.kind() {
        TY_INT => match name {
            "" | "Int" => Shape::Int,
            "DateTime" => Shape::DateTime,
            other => return Err(refused(other)),
        },
        TY_FLOAT => Shape::Float,
        TY_BOOL => Shape::Bool,
        TY_UNIT => Shape::Unit,
        TY_STRING => Shape::String,
        TY_ATOM => Shape::Atom,
        TY_PID => Shape::Pid,
        TY_TUPLE => match name {
            "" => Shape::Tuple,
            "Request" => Shape::Request,
            "Response" => Shape::Response,
            other => return Err(refused(other)),
        },
        TY_STRUCT => Shape::Struct,
        TY_SUM if name == "Option" && cases(desc, ["Some", "None"]) => Shape::Option,
        TY_SUM if name == "Result" && cases(desc, ["Ok", "Err"]) => Shape::Result,
        TY_SUM => Shape::Sum,
        TY_LIST => Shape::List,
        TY_MAP => Shape::Map,
        TY_SET => Shape::Set,
        TY_OPAQUE => match name {
            "Json" => Shape::Json,
            "Regex" => Shape::Regex,
            other => return Err(refused(other)),
        },
        TY_FUN => return Err(refused("Fun")),
        _ => return Err(refused(if name.is_empty() { "?" } else { name })),
    })
}
