# A project directory without a manifest: `meshc build <dir>` compiles its main.mpl.
fn main() do
  println("built from a project directory")
end
