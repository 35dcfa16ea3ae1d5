# A multi-module project: qualified access through the last path segment, from-imports of
# functions and types (with their constructors), and pub items only.
import Geometry
import Shapes.Circle
from Geometry import Point, Kind, distance2
from Shapes.Circle import area

fn main() do
  let p = Point { x: 3, y: 4 }
  println("#{distance2(p)} #{Geometry.distance2(Geometry.origin())}")
  println("#{Circle.area(1.0)} #{area(2.0)}")
  let k = Geometry.classify(p)
  println(case k do
    Near -> "near"
    Far(d) -> "far #{d}"
  end)
end
