# expect: E0039 (a field deriving(Schema) cannot map), E0060 (every kind of ORM clause misuse),
# E0028 (Schema on a sum type), E0006 (__table__ of a struct without deriving(Schema))
struct Target do
  id :: Int
end

struct Account do
  table :accounts
  table "accounts"
  primary_key :uid
  timestamps 1
  belongs_to :owner, Missing
  belongs_to :target, Target
  has_many :id, Account
  has_one "profile", Account
  index :email
  id :: Int
  tags :: List<String>
end deriving(Schema)

struct Plain do
  table "plain"
  id :: Int
end

type Shape do
  Dot
end deriving(Schema)

fn main() do
  println(Target.__table__())
end
