# A message sent through an untyped `Pid` whose type differs from the receive's only deep
# inside (here 70 levels of Option down, past the depth limit of the runtime's descriptor
# comparison) is dropped with a log line, never misread: the comparison fails closed.
actor reader(parent :: Pid<String>) do
  receive do
    v -> do
      let x :: Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Option<Int>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>> = v
      send(parent, "accepted #{x}")
    end
  after 300 -> send(parent, "nothing accepted")
  end
end

fn main() do
  let r :: Pid = spawn(reader, self())
  send(r, Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some(Some("text")))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
  println(receive do s -> s end)
end
