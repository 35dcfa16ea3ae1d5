# A service's own functions call each other by name; handlers may ignore the state; the
# state can be any value (here a map of lists).
service Inbox do
  fn init() -> Map<String, List<String>> do %{} end

  fn messages_of(state :: Map<String, List<String>>, who :: String) -> List<String> do
    if Map.has_key(state, who) do Map.get(state, who) else [] end
  end

  fn add(state :: Map<String, List<String>>, who :: String, text :: String) -> Map<String, List<String>> do
    Map.put(state, who, List.append(messages_of(state, who), text))
  end

  cast Post(who :: String, text :: String) do |state|
    add(state, who, text)
  end

  call Read(who :: String) :: List<String> do |state|
    (state, messages_of(state, who))
  end

  call Ping() :: String do
    (%{}, "pong, and the inbox is emptied")
  end
end

fn main() do
  let inbox = Inbox.start()
  Inbox.post(inbox, "ana", "hi")
  Inbox.post(inbox, "ana", "lunch?")
  Inbox.post(inbox, "bo", "ok")
  println("ana: #{Inbox.read(inbox, "ana")}")
  println("bo: #{Inbox.read(inbox, "bo")}")
  println(Inbox.ping(inbox))
  println("ana now: #{Inbox.read(inbox, "ana")}")
end
