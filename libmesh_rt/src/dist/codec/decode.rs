//! Decoding a message by the receiver's descriptor, on untrusted bytes: every read is
//! bounds-checked, buffers grow with the bytes actually read (a length prefix reserves
//! nothing beyond what the rest of the input could hold), nesting is bounded, and the walk
//! keeps its partial values in an explicit stack of frames (no Rust recursion). Collection
//! is held off while the value is built, since its parts live in those frames.

use super::shape::{self, Shape};
use super::wire::{tag, Reader, MAX_DEPTH};
use super::{fingerprint, CodecError};
use crate::mem::Fragment;
use crate::sched::process::make_pid;
use crate::value::generic::object;
use crate::value::list::{self, List};
use crate::value::map::{self, Kind, Table};
use crate::value::string::alloc_str;
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// The longest node name a pid may carry (a node identity is `name@host:port`).
const MAX_NODE_NAME: usize = 1024;

/// Decodes `input` (a whole message: version, fingerprint, value) as a value of type `desc`,
/// built in the current process's heap. The result is only referenced by the returned word:
/// keep it in a local (or root it) before the next allocation.
///
/// Building a map or set of a type with a user `Hash`/`Eq` runs that Mesh code (it may
/// allocate, suspend or panic), so call this holding no lock.
///
/// # Safety
/// `desc` must be null (an error) or a live descriptor (compiler constant data). `input` may
/// be anything.
pub unsafe fn decode(input: &[u8], desc: *const TypeDesc) -> Result<u64, CodecError> {
    let _hold = Hold::new();
    // SAFETY: forwarded contract.
    unsafe { decode_held(input, desc) }
}

/// As `decode`, into a new fragment (outside every heap, what a mailbox envelope holds).
///
/// # Safety
/// As for [`decode`].
pub unsafe fn decode_fragment(input: &[u8], desc: *const TypeDesc) -> Result<Fragment, CodecError> {
    let _hold = Hold::new();
    // SAFETY: forwarded contract.
    let word = unsafe { decode_held(input, desc)? };
    Ok(Fragment::from_current(
        word,
        // SAFETY: as above.
        unsafe { Desc::from_ptr(desc) }.is_heap(),
    ))
}

/// Holds off collection in the current heap while it lives (also when a user function
/// called during decoding panics).
struct Hold;

impl Hold {
    fn new() -> Hold {
        crate::mem::with_current(|heap| {
            heap.collect_if_due();
            heap.inhibit(true)
        });
        Hold
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        crate::mem::with_current(|heap| heap.inhibit(false));
    }
}

/// # Safety
/// As for [`decode`]; collection is held off.
unsafe fn decode_held(input: &[u8], desc: *const TypeDesc) -> Result<u64, CodecError> {
    if desc.is_null() {
        return Err(CodecError::NoDescriptor);
    }
    // SAFETY: descriptors reaching the runtime are compiler constants (or the runtime's own).
    let desc = unsafe { Desc::from_ptr(desc) };
    let mut r = Reader::new(input);
    let version = r.u8()?;
    if version != super::VERSION {
        return Err(CodecError::BadVersion(version));
    }
    if r.u64_be()? != fingerprint::of(desc) {
        return Err(CodecError::TypeMismatch);
    }
    let word = value(&mut r, desc)?;
    if r.remaining() != 0 {
        return Err(CodecError::TrailingBytes);
    }
    Ok(word)
}

/// How a compound value is built once its children are decoded.
#[derive(Clone, Copy)]
enum Build {
    Tuple(Desc),
    /// Each child is preceded by its field name.
    Struct(Desc),
    /// A sum's variant: the SUM desc, the tag, the CASE desc.
    Variant(Desc, u64, Desc),
    List(Desc),
    /// Children alternate key, value.
    Map(Desc),
    Set(Desc),
}

/// A compound value being decoded.
struct Frame {
    build: Build,
    /// Children expected.
    count: usize,
    /// Children decoded so far (values of the current heap; collection is held off).
    words: Vec<u64>,
}

impl Frame {
    fn new(build: Build, count: usize, remaining: usize) -> Frame {
        // Every child takes at least one byte: reserve no more than the input could hold.
        Frame {
            build,
            count,
            words: Vec::with_capacity(count.min(remaining).min(1024)),
        }
    }

    /// The type of the next child (reading a struct's field name first).
    fn next_desc(&self, r: &mut Reader) -> Result<Desc, CodecError> {
        let i = self.words.len();
        Ok(match self.build {
            Build::Tuple(d) => d.item(i),
            Build::Struct(d) => {
                let expected = d.field_name(i).unwrap_or("");
                let found = r.text()?;
                if found != expected {
                    return Err(CodecError::BadName {
                        expected: expected.to_string(),
                        found: found.to_string(),
                    });
                }
                d.item(i)
            }
            Build::Variant(_, _, case) => case.item(i),
            Build::List(d) | Build::Set(d) => d.elem(),
            Build::Map(d) => d.item(i % 2),
        })
    }

    /// The finished value.
    fn finish(self) -> Result<u64, CodecError> {
        Ok(match self.build {
            Build::Tuple(d) | Build::Struct(d) => object::alloc_tuple(d, &self.words) as u64,
            Build::Variant(sum, t, _) => object::alloc_variant(sum, t, &self.words) as u64,
            Build::List(d) => List::from_words(list::Shape::list(d), &self.words).as_word(),
            Build::Map(d) => {
                let pairs = self.words.chunks_exact(2).map(|p| (p[0], p[1]));
                // SAFETY: keys and values were decoded by the map's key and value types.
                let table = unsafe { map::from_pairs(Kind::of(d), pairs) };
                unique(table, self.count / 2, "map (duplicate keys)")?
            }
            Build::Set(d) => {
                // SAFETY: elements were decoded by the set's element type.
                let table = unsafe {
                    crate::value::set::from_words(Kind::of(d), self.words.iter().copied())
                };
                unique(table, self.count, "set (duplicate elements)")?
            }
        })
    }
}

/// A table that must hold `n` entries (fewer: the input repeated a key).
fn unique(table: Table, n: usize, what: &'static str) -> Result<u64, CodecError> {
    if table.size() != n {
        return Err(CodecError::InvalidValue(what));
    }
    Ok(table.as_word())
}

/// What the head of a value decoded to.
enum Head {
    Done(u64),
    Open(Build, usize),
}

fn expect(r: &mut Reader, wanted: u8, what: &'static str) -> Result<(), CodecError> {
    let found = r.u8()?;
    if found != wanted {
        return Err(CodecError::BadTag {
            expected: what,
            found,
        });
    }
    Ok(())
}

fn expect_name(r: &mut Reader, expected: &str) -> Result<(), CodecError> {
    let found = r.text()?;
    if found != expected {
        return Err(CodecError::BadName {
            expected: expected.to_string(),
            found: found.to_string(),
        });
    }
    Ok(())
}

fn expect_count(r: &mut Reader, expected: usize, what: &'static str) -> Result<(), CodecError> {
    let found = r.count(what)?;
    if found != expected {
        return Err(CodecError::BadCount {
            expected: expected as u64,
            found: found as u64,
        });
    }
    Ok(())
}

/// Decodes one value of type `root` (iteratively).
fn value(r: &mut Reader, root: Desc) -> Result<u64, CodecError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut next = root;
    loop {
        if stack.len() >= MAX_DEPTH {
            return Err(CodecError::TooDeep);
        }
        let mut word = match head(r, next)? {
            Head::Done(w) => w,
            Head::Open(build, 0) => Frame::new(build, 0, 0).finish()?,
            Head::Open(build, count) => {
                stack.push(Frame::new(build, count, r.remaining()));
                let top = stack.last().ok_or(CodecError::Truncated)?;
                next = top.next_desc(r)?;
                continue;
            }
        };
        // Hand the finished value to its parent, finishing every parent it completes.
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(word);
            };
            top.words.push(word);
            if top.words.len() < top.count {
                next = top.next_desc(r)?;
                break;
            }
            let done = stack.pop().ok_or(CodecError::Truncated)?;
            word = done.finish()?;
        }
    }
}

/// Reads the head of a value of type `desc`: a scalar whole, or a compound's tag and count.
fn head(r: &mut Reader, desc: Desc) -> Result<Head, CodecError> {
    let done = |w: u64| Ok(Head::Done(w));
    match shape::of(desc)? {
        Shape::Int => {
            expect(r, tag::INT, "Int")?;
            done(r.int()? as u64)
        }
        Shape::DateTime => {
            expect(r, tag::DATETIME, "DateTime")?;
            let ms = r.int()?;
            crate::stdlib::datetime::from_unix_ms(ms)
                .map_err(|_| CodecError::InvalidValue("DateTime (out of range)"))?;
            done(ms as u64)
        }
        Shape::Float => {
            expect(r, tag::FLOAT, "Float")?;
            done(r.u64_be()?)
        }
        Shape::Bool => match r.u8()? {
            tag::FALSE => done(0),
            tag::TRUE => done(1),
            found => Err(CodecError::BadTag {
                expected: "Bool",
                found,
            }),
        },
        Shape::Unit => {
            expect(r, tag::UNIT, "()")?;
            done(0)
        }
        Shape::String => {
            expect(r, tag::STRING, "String")?;
            done(alloc_str(r.text()?) as u64)
        }
        Shape::Atom => {
            expect(r, tag::ATOM, "Atom")?;
            done(alloc_str(r.text()?) as u64)
        }
        Shape::Json => {
            expect(r, tag::JSON, "Json")?;
            let text = crate::value::json::parse(r.text()?)
                .map_err(|_| CodecError::InvalidValue("Json"))?;
            done(alloc_str(&text) as u64)
        }
        Shape::Regex => {
            expect(r, tag::TEXT, "Regex")?;
            expect_name(r, "Regex")?;
            let source = r.text()?;
            if crate::stdlib::regex::error_text(source).is_some() {
                return Err(CodecError::InvalidValue("Regex"));
            }
            done(alloc_str(source) as u64)
        }
        Shape::Pid => {
            expect(r, tag::PID, "Pid")?;
            done(pid(r)?)
        }
        Shape::Tuple => {
            expect(r, tag::TUPLE, "tuple")?;
            expect_count(r, desc.count(), "tuple")?;
            Ok(Head::Open(Build::Tuple(desc), desc.count()))
        }
        Shape::Struct => {
            expect(r, tag::STRUCT, "struct")?;
            expect_name(r, desc.name())?;
            expect_count(r, desc.count(), "struct")?;
            Ok(Head::Open(Build::Struct(desc), desc.count()))
        }
        Shape::Option | Shape::Result => {
            let tags = if shape::of(desc)? == Shape::Option {
                [tag::SOME, tag::NONE]
            } else {
                [tag::OK, tag::ERR]
            };
            let found = r.u8()?;
            let t = tags
                .iter()
                .position(|&x| x == found)
                .ok_or(CodecError::BadTag {
                    expected: desc.name(),
                    found,
                })?;
            let case = desc.item(t);
            Ok(Head::Open(
                Build::Variant(desc, t as u64, case),
                case.count(),
            ))
        }
        Shape::Sum => {
            expect(r, tag::SUM, "sum value")?;
            expect_name(r, desc.name())?;
            let variant = r.text()?;
            let t = (0..desc.count())
                .find(|&i| desc.item(i).name() == variant)
                .ok_or_else(|| CodecError::BadName {
                    expected: format!("a variant of {}", desc.name()),
                    found: variant.to_string(),
                })?;
            let case = desc.item(t);
            expect_count(r, case.count(), "variant")?;
            Ok(Head::Open(
                Build::Variant(desc, t as u64, case),
                case.count(),
            ))
        }
        Shape::List => {
            expect(r, tag::LIST, "List")?;
            let n = r.count("list")?;
            Ok(Head::Open(Build::List(desc), n))
        }
        Shape::Map => {
            expect(r, tag::MAP, "Map")?;
            let n = r.count("map")?;
            Ok(Head::Open(Build::Map(desc), 2 * n))
        }
        Shape::Set => {
            expect(r, tag::SET, "Set")?;
            let n = r.count("set")?;
            Ok(Head::Open(Build::Set(desc), n))
        }
        Shape::Request => {
            expect(r, tag::REQUEST, "Request")?;
            let mut fields = [0u64; 6];
            for f in fields.iter_mut().take(4) {
                *f = alloc_str(r.text()?) as u64;
            }
            fields[4] = string_pairs(r, true)?;
            fields[5] = string_pairs(r, true)?;
            done(object::alloc_tuple(Desc::unit(), &fields) as u64)
        }
        Shape::Response => {
            expect(r, tag::RESPONSE, "Response")?;
            let status = r.int()?;
            if crate::http::response::valid_status(status).is_none() {
                return Err(CodecError::InvalidValue("HTTP status"));
            }
            let body = alloc_str(r.text()?) as u64;
            let headers = string_pairs(r, false)?;
            done(object::alloc_tuple(Desc::unit(), &[status as u64, body, headers]) as u64)
        }
    }
}

/// A runtime tuple of 2n strings read as a count and n (name, value) pairs; with no pairs,
/// an empty tuple when `empty_tuple`, else 0 (a Response without headers).
fn string_pairs(r: &mut Reader, empty_tuple: bool) -> Result<u64, CodecError> {
    let n = r.count("headers")?;
    if n == 0 && !empty_tuple {
        return Ok(0);
    }
    let mut words = Vec::with_capacity((2 * n).min(r.remaining()).min(1024));
    for _ in 0..2 * n {
        words.push(alloc_str(r.text()?) as u64);
    }
    Ok(object::alloc_tuple(Desc::unit(), &words) as u64)
}

/// A pid: node name, incarnation, serial, mapped to this node's slot for that node
/// incarnation.
fn pid(r: &mut Reader) -> Result<u64, CodecError> {
    let name = r.text()?;
    let incarnation = r.u64_be()?;
    let serial = r.varint()?;
    if name.is_empty() {
        if incarnation != 0 || serial != 0 {
            return Err(CodecError::InvalidValue("pid"));
        }
        return Ok(0);
    }
    if name.len() > MAX_NODE_NAME {
        return Err(CodecError::InvalidValue("pid (node name too long)"));
    }
    if serial == 0 || serial != crate::sched::process::pid_serial(serial) {
        return Err(CodecError::InvalidValue("pid (serial)"));
    }
    let slot = crate::dist::slot_of(name, incarnation).ok_or(CodecError::NoSlots)?;
    Ok(make_pid(slot, serial))
}
