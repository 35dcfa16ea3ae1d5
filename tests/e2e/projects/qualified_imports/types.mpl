pub type UserId = Int

pub struct User do
  id :: UserId
  name :: String
end deriving(Json, Display)

pub type Role do
  Admin
  Guest(String)
end deriving(Display)

pub fn make(id :: Int) -> User = User { id: id, name: "u#{id}" }

pub interface Greet do
  fn greet(self) -> String
end
