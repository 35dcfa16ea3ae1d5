# A todo as the API returns it. `id` is the row id as text and `completed` is stored as 0/1
# (deriving(Row) reads "0"/"1" as a Bool).
pub struct Todo do
  id :: String
  title :: String
  completed :: Bool
  created_at :: String
end deriving(Json, Row)
