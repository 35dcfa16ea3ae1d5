# spec: stdlib §12 — File.write creates or truncates, File.append creates or appends,
# File.read returns the whole file, File.delete removes it, File.exists sees files and
# directories; failures are Err(<OS error text>). Relative paths resolve against the working
# directory (the harness runs programs in this fixture's directory).
fn unit_text(r :: () ! String) -> String do
  case r do
    Ok(_) -> "ok"
    Err(e) -> "error: #{e}"
  end
end

fn read_text(path :: String) -> String do
  case File.read(path) do
    Ok(text) -> "[#{text}]"
    Err(e) -> "error: #{e}"
  end
end

fn main() do
  let path = Env.get("TMPDIR", "/tmp") <> "/mesh_e2e_stdlib_file_ops.txt"
  let _ = File.delete(path)
  println("exists before: #{File.exists(path)}")
  println("write: #{unit_text(File.write(path, "héllo\n"))}")
  println("exists after: #{File.exists(path)}")
  println(read_text(path))
  println("append: #{unit_text(File.append(path, "world"))}")
  println(read_text(path))
  println("truncate: #{unit_text(File.write(path, "new"))}")
  println(read_text(path))
  println("empty: #{unit_text(File.write(path, ""))} #{read_text(path)}")
  println("delete: #{unit_text(File.delete(path))}")
  println("exists deleted: #{File.exists(path)}")
  println("delete again: #{unit_text(File.delete(path))}")
  println("read deleted: #{read_text(path)}")
  println("append creates: #{unit_text(file_append(path, "a"))} #{read_text(path)}")
  println("cleanup: #{unit_text(file_delete(path))}")
  println("write in missing dir: #{unit_text(File.write("/nonexistent-mesh-dir/f.txt", "x"))}")
  println("read a directory: #{read_text(".")}")
  println("dir exists: #{File.exists(".")} #{file_exists("no-such-file.txt")}")
  case File.read("file_ops.mpl") do
    Ok(source) -> println("own source: #{String.starts_with(source, "# spec: stdlib §12")}")
    Err(e) -> println("error: #{e}")
  end
end
