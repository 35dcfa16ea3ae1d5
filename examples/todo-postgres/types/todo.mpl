# A todo as the API returns it: `id` is the UUID as text, `created_at` the ISO-8601 UTC instant.
pub struct Todo do
  id :: String
  title :: String
  completed :: Bool
  created_at :: String
end deriving(Json)

# True for a canonical UUID (8-4-4-4-12 hexadecimal digits, either case): path ids are checked
# with this before any query, so a malformed id is a 400 and never reaches the database.
pub fn valid_todo_id(raw :: String) -> Bool do
  Regex.is_match(
    ~r/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    raw
  )
end
