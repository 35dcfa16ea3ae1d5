pub type UserId = Int
pub struct User do
  id :: UserId
  name :: String
end deriving(Display)
pub type Role do
  Admin
  Guest(String)
end deriving(Display)
pub type Named = (UserId, String)
type Hidden = Int
