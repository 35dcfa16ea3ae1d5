# deriving(Schema) (stdlib §28.2): the generated __table__, __fields__, __primary_key__,
# __relationships__ and __field_types__ of structs with and without ORM clauses, used with
# Query.from and Changeset.cast_with_types.
struct Org do
  id :: Int
  name :: String
end deriving(Schema)

struct User do
  table "people"
  timestamps true
  belongs_to :org, Org
  has_many :posts, Post
  has_one :profile, Profile, :owner_id
  id :: Int
  email :: String
  age :: Option<Int>
  score :: Float
  admin :: Bool
end deriving(Schema, Row)

struct Post do
  primary_key :slug
  belongs_to :author, User, :user_id
  slug :: String
  user_id :: Int
  body :: Option<String>
end deriving(Schema)

struct Profile do
  id :: Int
  owner_id :: Int
end deriving(Schema)

struct Category do
  belongs_to :parent, Category
  id :: Int
end deriving(Schema)

fn show(name :: String, table :: String, pk :: String, fields :: List<String>, types :: List<String>, rels :: List<String>) -> () do
  println("#{name}: table=#{table} pk=#{pk}")
  println("  fields: #{String.join(fields, ", ")}")
  println("  types: #{String.join(types, ", ")}")
  println("  relationships: #{String.join(rels, ", ")}")
end

fn main() do
  show("Org", Org.__table__(), Org.__primary_key__(), Org.__fields__(), Org.__field_types__(), Org.__relationships__())
  show("User", User.__table__(), User.__primary_key__(), User.__fields__(), User.__field_types__(), User.__relationships__())
  show("Post", Post.__table__(), Post.__primary_key__(), Post.__fields__(), Post.__field_types__(), Post.__relationships__())
  show("Profile", Profile.__table__(), Profile.__primary_key__(), Profile.__fields__(), Profile.__field_types__(), Profile.__relationships__())
  show("Category", Category.__table__(), Category.__primary_key__(), Category.__fields__(), Category.__field_types__(), Category.__relationships__())
  # Row and Schema together; the metadata feeds the builders.
  println(Orm.build_select(User.__table__(), User.__fields__(), ["#{User.__primary_key__()}"], [], 1, -1))
  let cs = Changeset.cast_with_types(%{}, %{"age" => "forty", "score" => "1.5", "admin" => "yes", "email" => "a@b"}, [:email, :age, :score, :admin], User.__field_types__())
  println("cast_with_types: valid=#{Changeset.valid(cs)} errors=#{Changeset.errors(cs)}")
end
