# deriving(Schema) across modules: a qualified relationship target (Models.User), an imported
# one (Org), and the generated functions called through the module.
import Models
from Models import Org

struct Post do
  belongs_to :user, Models.User
  has_many :tags, Org
  id :: Int
end deriving(Schema)

fn main() do
  println(Models.User.__table__())
  println(String.join(Models.User.__relationships__(), " "))
  println(String.join(Post.__relationships__(), " "))
  println(Org.__table__())
end
