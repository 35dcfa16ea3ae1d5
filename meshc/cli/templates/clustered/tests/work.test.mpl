from Work import add

describe("declared work") do
  test("add() is 2") do
    assert_eq(add(), 2)
  end

  test("the package stays source-first") do
    let manifest = case File.read("mesh.toml") do
      Ok(text) -> text
      Err(e) -> e
    end
    assert(String.contains(manifest, "[package]"))
    assert(not String.contains(manifest, "[cluster]"))
    let main = case File.read("main.mpl") do
      Ok(text) -> text
      Err(e) -> e
    end
    assert(String.contains(main, "Node.start_from_env()"))
    assert(not String.contains(main, "HTTP."))
  end
end
