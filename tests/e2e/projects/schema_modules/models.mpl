pub struct Org do
  id :: Int
end deriving(Schema)

pub struct User do
  table "members"
  belongs_to :org, Org
  id :: Int
end deriving(Schema)
