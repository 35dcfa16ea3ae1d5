// Benchmark peer: the same n-body computation as nbody.mpl (same bodies, same order of
// operations, immutable bodies rebuilt each step), in idiomatic Rust with Copy structs.
#[derive(Clone, Copy)]
struct Body { x: f64, y: f64, z: f64, vx: f64, vy: f64, vz: f64, m: f64 }

const PI: f64 = 3.141592653589793;
const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS: f64 = 365.24;

fn bodies() -> [Body; 5] {
    [
        Body { x: 0.0, y: 0.0, z: 0.0, vx: 0.0, vy: 0.0, vz: 0.0, m: SOLAR_MASS },
        Body { x: 4.84143144246472090e+00, y: -1.16032004402742839e+00, z: -1.03622044471123109e-01, vx: 1.66007664274403694e-03 * DAYS, vy: 7.69901118419740425e-03 * DAYS, vz: -6.90460016972063023e-05 * DAYS, m: 9.54791938424326609e-04 * SOLAR_MASS },
        Body { x: 8.34336671824457987e+00, y: 4.12479856412430479e+00, z: -4.03523417114321381e-01, vx: -2.76742510726862411e-03 * DAYS, vy: 4.99852801234917238e-03 * DAYS, vz: 2.30417297573763929e-05 * DAYS, m: 2.85885980666130812e-04 * SOLAR_MASS },
        Body { x: 1.28943695621391310e+01, y: -1.51111514016986312e+01, z: -2.23307578892655734e-01, vx: 2.96460137564761618e-03 * DAYS, vy: 2.37847173959480950e-03 * DAYS, vz: -2.96589568540237556e-05 * DAYS, m: 4.36624404335156298e-05 * SOLAR_MASS },
        Body { x: 1.53796971148509165e+01, y: -2.59193146099879641e+01, z: 1.79258772950371181e-01, vx: 2.68067772490389322e-03 * DAYS, vy: 1.62824170038242295e-03 * DAYS, vz: -9.51592254519715870e-05 * DAYS, m: 5.15138902046611451e-05 * SOLAR_MASS },
    ]
}

fn pull(a: Body, b: Body, dt: f64) -> Body {
    let (dx, dy, dz) = (a.x - b.x, a.y - b.y, a.z - b.z);
    let d2 = dx * dx + dy * dy + dz * dz;
    let mag = dt / (d2 * d2.sqrt());
    Body { vx: a.vx - dx * b.m * mag, vy: a.vy - dy * b.m * mag, vz: a.vz - dz * b.m * mag, ..a }
}

fn drift(a: Body, dt: f64) -> Body {
    Body { x: a.x + dt * a.vx, y: a.y + dt * a.vy, z: a.z + dt * a.vz, ..a }
}

fn pair_energy(a: Body, b: Body) -> f64 {
    let (dx, dy, dz) = (a.x - b.x, a.y - b.y, a.z - b.z);
    a.m * b.m / (dx * dx + dy * dy + dz * dz).sqrt()
}

fn kinetic(a: Body) -> f64 {
    0.5 * a.m * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz)
}

fn energy(b: &[Body; 5]) -> f64 {
    let k = kinetic(b[0]) + kinetic(b[1]) + kinetic(b[2]) + kinetic(b[3]) + kinetic(b[4]);
    let p0 = pair_energy(b[0], b[1]) + pair_energy(b[0], b[2]) + pair_energy(b[0], b[3]) + pair_energy(b[0], b[4]);
    let p1 = pair_energy(b[1], b[2]) + pair_energy(b[1], b[3]) + pair_energy(b[1], b[4]);
    let p2 = pair_energy(b[2], b[3]) + pair_energy(b[2], b[4]) + pair_energy(b[3], b[4]);
    k - p0 - p1 - p2
}

fn advance(n: i64, mut b: [Body; 5]) -> f64 {
    let dt = 0.01;
    for _ in 0..n {
        let a0 = pull(pull(pull(pull(b[0], b[1], dt), b[2], dt), b[3], dt), b[4], dt);
        let a1 = pull(pull(pull(pull(b[1], b[0], dt), b[2], dt), b[3], dt), b[4], dt);
        let a2 = pull(pull(pull(pull(b[2], b[0], dt), b[1], dt), b[3], dt), b[4], dt);
        let a3 = pull(pull(pull(pull(b[3], b[0], dt), b[1], dt), b[2], dt), b[4], dt);
        let a4 = pull(pull(pull(pull(b[4], b[0], dt), b[1], dt), b[2], dt), b[3], dt);
        b = [drift(a0, dt), drift(a1, dt), drift(a2, dt), drift(a3, dt), drift(a4, dt)];
    }
    energy(&b)
}

fn main() {
    let steps = std::hint::black_box(2_000_000);
    let e = advance(0, bodies());
    let after = advance(steps, bodies());
    println!("{e} {after}");
}
