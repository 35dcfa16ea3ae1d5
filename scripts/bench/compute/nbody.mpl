# Benchmark: the n-body simulation (5 bodies, symplectic Euler), with immutable bodies.
struct Body do
  x :: Float
  y :: Float
  z :: Float
  vx :: Float
  vy :: Float
  vz :: Float
  m :: Float
end

fn pi() -> Float = 3.141592653589793

fn solar_mass() -> Float = 4.0 * pi() * pi()

fn days() -> Float = 365.24

fn sun() -> Body = Body { x: 0.0, y: 0.0, z: 0.0, vx: 0.0, vy: 0.0, vz: 0.0, m: solar_mass() }

fn jupiter() -> Body = Body {
  x: 4.84143144246472090e+00,
  y: -1.16032004402742839e+00,
  z: -1.03622044471123109e-01,
  vx: 1.66007664274403694e-03 * days(),
  vy: 7.69901118419740425e-03 * days(),
  vz: -6.90460016972063023e-05 * days(),
  m: 9.54791938424326609e-04 * solar_mass()
}

fn saturn() -> Body = Body {
  x: 8.34336671824457987e+00,
  y: 4.12479856412430479e+00,
  z: -4.03523417114321381e-01,
  vx: -2.76742510726862411e-03 * days(),
  vy: 4.99852801234917238e-03 * days(),
  vz: 2.30417297573763929e-05 * days(),
  m: 2.85885980666130812e-04 * solar_mass()
}

fn uranus() -> Body = Body {
  x: 1.28943695621391310e+01,
  y: -1.51111514016986312e+01,
  z: -2.23307578892655734e-01,
  vx: 2.96460137564761618e-03 * days(),
  vy: 2.37847173959480950e-03 * days(),
  vz: -2.96589568540237556e-05 * days(),
  m: 4.36624404335156298e-05 * solar_mass()
}

fn neptune() -> Body = Body {
  x: 1.53796971148509165e+01,
  y: -2.59193146099879641e+01,
  z: 1.79258772950371181e-01,
  vx: 2.68067772490389322e-03 * days(),
  vy: 1.62824170038242295e-03 * days(),
  vz: -9.51592254519715870e-05 * days(),
  m: 5.15138902046611451e-05 * solar_mass()
}

# Velocity change of `a` from `b` over dt.
fn pull(a :: Body, b :: Body, dt :: Float) -> Body do
  let dx = a.x - b.x
  let dy = a.y - b.y
  let dz = a.z - b.z
  let d2 = dx * dx + dy * dy + dz * dz
  let mag = dt / (d2 * Math.sqrt(d2))
  %{a | vx: a.vx - dx * b.m * mag, vy: a.vy - dy * b.m * mag, vz: a.vz - dz * b.m * mag}
end

fn drift(a :: Body, dt :: Float) -> Body = %{
  a | x: a.x + dt * a.vx,
  y: a.y + dt * a.vy,
  z: a.z + dt * a.vz
}

fn pair_energy(a :: Body, b :: Body) -> Float do
  let dx = a.x - b.x
  let dy = a.y - b.y
  let dz = a.z - b.z
  a.m * b.m / Math.sqrt(dx * dx + dy * dy + dz * dz)
end

fn kinetic(a :: Body) -> Float = 0.5 * a.m * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz)

fn energy(b0 :: Body, b1 :: Body, b2 :: Body, b3 :: Body, b4 :: Body) -> Float do
  let k = kinetic(b0) + kinetic(b1) + kinetic(b2) + kinetic(b3) + kinetic(b4)
  let p0 = pair_energy(b0, b1) + pair_energy(b0, b2) + pair_energy(b0, b3) + pair_energy(b0, b4)
  let p1 = pair_energy(b1, b2) + pair_energy(b1, b3) + pair_energy(b1, b4)
  let p2 = pair_energy(b2, b3) + pair_energy(b2, b4) + pair_energy(b3, b4)
  k - p0 - p1 - p2
end

fn advance(n :: Int, b0 :: Body, b1 :: Body, b2 :: Body, b3 :: Body, b4 :: Body) -> Float do
  if n == 0 do
    energy(b0, b1, b2, b3, b4)
  else
    let dt = 0.01
    let a0 = pull(pull(pull(pull(b0, b1, dt), b2, dt), b3, dt), b4, dt)
    let a1 = pull(pull(pull(pull(b1, b0, dt), b2, dt), b3, dt), b4, dt)
    let a2 = pull(pull(pull(pull(b2, b0, dt), b1, dt), b3, dt), b4, dt)
    let a3 = pull(pull(pull(pull(b3, b0, dt), b1, dt), b2, dt), b4, dt)
    let a4 = pull(pull(pull(pull(b4, b0, dt), b1, dt), b2, dt), b3, dt)
    advance(n - 1, drift(a0, dt), drift(a1, dt), drift(a2, dt), drift(a3, dt), drift(a4, dt))
  end
end

fn main() do
  let e = advance(0, sun(), jupiter(), saturn(), uranus(), neptune())
  let later = advance(2000000, sun(), jupiter(), saturn(), uranus(), neptune())
  println("#{e} #{later}")
end
