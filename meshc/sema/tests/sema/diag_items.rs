//! Diagnostics of declarations: clauses, impls, deriving, associated types, modules and
//! imports (spec language §5.8), one snapshot per code.

#[test]
fn e0007_missing_method() {
    check_diag!(
        r#"interface Describe do
  fn describe(self) -> String
end
struct Point do
  x :: Int
end
impl Describe for Point do
end
fn main() do
end
"#,
        E0007
    );
}

#[test]
fn e0008_wrong_signature() {
    check_diag!(
        r#"interface Shape do
  fn area(self) -> Float
end
struct Square do
  side :: Float
end
impl Shape for Square do
  fn area(self) -> Int do 1 end
end
fn main() do
end
"#,
        E0008
    );
}

#[test]
fn e0022_clause_after_catch_all() {
    check_diag!("fn f(n) = n\nfn f(0) = 1\nfn main() do\nend\n", E0022);
}

#[test]
fn e0023_clauses_not_consecutive() {
    check_diag!(
        "fn f(0) = 1\nfn g() = 2\nfn f(n) = n\nfn main() do\nend\n",
        E0023
    );
}

#[test]
fn e0024_clause_arity() {
    check_diag!(
        "fn f(0) = 1\nfn f(n, m) = n + m\nfn main() do\nend\n",
        E0024
    );
}

#[test]
fn w0002_return_type_on_a_later_clause() {
    check_diag!(
        "fn h(0) = 1\nfn h(n) -> Int = n\nfn main() do\nend\n",
        W0002
    );
}

#[test]
fn e0026_duplicate_impl() {
    check_diag!(
        r#"interface Label do
  fn label(self) -> String
end
impl Label for Int do
  fn label(self) -> String do "a" end
end
impl Label for Int do
  fn label(self) -> String do "b" end
end
fn main() do
end
"#,
        E0026
    );
}

#[test]
fn e0027_ambiguous_method() {
    check_diag!(
        r#"interface Describe do
  fn describe(self) -> String
end
interface Label do
  fn describe(self) -> String
end
impl Describe for Int do
  fn describe(self) -> String do "d" end
end
impl Label for Int do
  fn describe(self) -> String do "l" end
end
fn main() do
  let _ = 1.describe()
end
"#,
        E0027
    );
}

#[test]
fn e0028_cannot_derive() {
    check_diag!(
        "struct A do\n  x :: Int\nend deriving(Show)\nfn main() do\nend\n",
        E0028
    );
}

#[test]
fn e0029_ord_without_eq() {
    check_diag!(
        "struct B do\n  x :: Int\nend deriving(Ord)\nfn main() do\nend\n",
        E0029
    );
}

#[test]
fn e0031_module_not_found() {
    check_diag!(
        "#- main.mpl\nimport Utl\nfn main() do\nend\n#- util.mpl\npub fn square(n :: Int) -> Int = n * n\n",
        E0031
    );
}

#[test]
fn e0034_name_not_exported() {
    check_diag!(
        "#- main.mpl\nfrom Util import cube\nfn main() do\nend\n#- util.mpl\npub fn square(n :: Int) -> Int = n * n\n",
        E0034
    );
}

#[test]
fn e0035_private_import() {
    check_diag!(
        "#- main.mpl\nfrom Util import square\nfn main() do\nend\n#- util.mpl\nfn square(n :: Int) -> Int = n * n\n",
        E0035
    );
}

#[test]
fn e0038_field_not_json() {
    check_diag!(
        "struct Handler do\n  run :: Fun(Int) -> Int\nend deriving(Json)\nfn main() do\nend\n",
        E0038
    );
}

#[test]
fn e0039_field_not_row() {
    check_diag!(
        "struct Record do\n  pair :: (Int, Int)\nend deriving(Row)\nfn main() do\nend\n",
        E0039
    );
}

#[test]
fn e0039_field_not_schema() {
    check_diag!(
        "struct Record do\n  id :: Int\n  tags :: List<String>\nend deriving(Schema)\nfn main() do\nend\n",
        E0039
    );
}

#[test]
fn e0028_schema_on_a_sum_type() {
    check_diag!(
        "type Shape do\n  Dot\nend deriving(Schema)\nfn main() do\nend\n",
        E0028
    );
}

#[test]
fn e0060_bad_orm_clause() {
    check_diag!(
        "struct User do\n  belongs_to :org, Org\n  id :: Int\nend deriving(Schema)\nstruct Org do\n  table \"orgs\"\n  id :: Int\nend\nfn main() do\nend\n",
        E0060
    );
}

#[test]
fn e0040_missing_associated_type() {
    check_diag!(
        r#"interface Describe do
  type Out
  fn describe(self) -> String
end
impl Describe for Int do
  fn describe(self) -> String do "int" end
end
fn main() do
end
"#,
        E0040
    );
}

#[test]
fn e0041_extra_associated_type() {
    check_diag!(
        r#"interface Describe do
  fn describe(self) -> String
end
impl Describe for Int do
  type Extra = Int
  fn describe(self) -> String do "int" end
end
fn main() do
end
"#,
        E0041
    );
}

#[test]
fn e0042_unresolved_associated_type() {
    check_diag!("fn f(x :: Self.Out) -> Int = 1\nfn main() do\nend\n", E0042);
}

#[test]
fn e0045_alias_of_an_undefined_type() {
    check_diag!(
        "type Id = Missing\nfn main() do\n  let x :: Id = 1\nend\n",
        E0045
    );
}

#[test]
fn e0053_not_supported_yet() {
    check_diag!("fn main() do\n  fn id<T>(x :: T) -> T = x\nend\n", E0053);
}
