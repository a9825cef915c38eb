//! Decoding responses the way the live API sends them, not only the way its spec describes them.
//!
//! A response is first decoded as serde would, straight from the bytes: the fast path, taken by
//! every response that matches the spec. Only when that fails is the body read again, as a JSON
//! tree, by `Lenient`, a deserializer that knows where it is in the tree and what the type
//! asked for. By default ([`DecodeMode::Lenient`]) it converts what converts without loss (`"12"`
//! for an integer, `7` for a string, `"true"` for a bool) and puts a documented fallback in place
//! of what does not (`""`, `0`, `false`, an empty list or map, an enum's `Unknown`, a struct whose
//! required fields take theirs), and records a [`Correction`] for each: nothing is corrected
//! silently. [`DecodeMode::Strict`] makes the first deviation an error that names its path.
//!
//! The generated types take part through the few functions of `crate::de` and `crate::tagged`
//! (a missing required field, an unknown enum value, a union that matches no variant); they ask
//! a per-thread state, set only while this module decodes, which mode is on and where they are.
//! A type decoded by serde alone (`serde_json::from_str::<telnyx::types::X>`) behaves as before.

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// How a response that deviates from the spec is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecodeMode {
    /// Convert or replace what deviates, record a [`Correction`] for each, and succeed.
    #[default]
    Lenient,
    /// Fail on the first deviation, naming its path: proves a response matches the spec.
    Strict,
}

/// What kind of deviation a [`Correction`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CorrectionKind {
    /// A value of another JSON kind that converts without loss (`"12"` read as `12`).
    Converted,
    /// A value that cannot be read as the type, replaced by the type's fallback.
    Replaced,
    /// A required field that is absent, given the fallback of its type.
    Missing,
    /// A value of an optional field that cannot be read as its type: left out (`None`), not
    /// given a fallback the server never sent.
    Dropped,
    /// A value of an enum, or a union tag, that this crate does not know; kept in `Unknown`.
    UnknownValue,
    /// A value that matches no variant of a union; kept in the union's `Unknown`.
    UnknownShape,
}

/// One place where a response deviated from the spec, and what the client made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// JSON path of the value, e.g. `data.phone_numbers[0].id` (`.` for the whole body).
    pub path: String,
    pub kind: CorrectionKind,
    /// What the spec says belongs there.
    pub expected: String,
    /// What came; `None` for a missing field.
    pub found: Option<Value>,
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = match &self.found {
            None => "nothing".to_string(),
            Some(v) => short(v),
        };
        let done = match self.kind {
            CorrectionKind::Converted => "converted",
            CorrectionKind::Replaced | CorrectionKind::Missing => "replaced by the fallback",
            CorrectionKind::Dropped => "left out",
            CorrectionKind::UnknownValue | CorrectionKind::UnknownShape => "kept as unknown",
        };
        write!(f, "`{}`: expected {}, found {found} ({done})", self.path, self.expected)
    }
}

/// A decoded value with the corrections it needed (none when the body matched the spec).
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    pub value: T,
    pub corrections: Vec<Correction>,
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

/// Why a body could not be decoded: where, and what serde or the mode said.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub(crate) path: String,
    pub(crate) message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl de::Error for Failure {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let message = msg.to_string();
        // An error passed on through `E::custom(inner)` keeps the path where it arose.
        let path = with_state(|s| match &s.last {
            Some((m, p)) if *m == message => p.clone(),
            _ => s.path_string(None),
        })
        .unwrap_or_else(|| ".".into());
        with_state(|s| s.last = Some((message.clone(), path.clone())));
        Failure { path, message }
    }

    fn missing_field(field: &'static str) -> Self {
        let message = format!("missing field `{field}`");
        let path = with_state(|s| s.path_string(Some(field))).unwrap_or_else(|| field.into());
        with_state(|s| s.last = Some((message.clone(), path.clone())));
        Failure { path, message }
    }
}

/// Decodes a body: from the bytes when it matches the spec, else from its JSON tree, leniently
/// or strictly as `mode` says. An empty body decodes like `null`.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], mode: DecodeMode) -> Result<Decoded<T>, Failure> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"null".as_slice() } else { body };
    {
        let _fast = Scope::enter(Mode::Strict);
        if let Ok(value) = serde_json::from_slice(body) {
            return Ok(Decoded { value, corrections: Vec::new() });
        }
    }
    let tree: Value = serde_json::from_slice(body)
        .map_err(|e| Failure { path: ".".into(), message: format!("the body is not JSON: {e}") })?;
    let scope = Scope::enter(match mode {
        DecodeMode::Lenient => Mode::Lenient,
        DecodeMode::Strict => Mode::Strict,
    });
    let value = T::deserialize(Lenient(&tree))?;
    Ok(Decoded { value, corrections: scope.finish() })
}

// The per-thread state. Decoding never awaits, so a thread-local is the call's own.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// No decode of this module is under way: serde alone, as before.
    Plain,
    Strict,
    Lenient,
}

enum Segment {
    Key(String),
    Index(usize),
}

struct State {
    mode: Mode,
    path: Vec<Segment>,
    corrections: Vec<Correction>,
    /// Above 0 while a fallback value is built: what it is made of is not a correction.
    quiet: u32,
    /// The last error made, and where, so that an error passed on keeps its path.
    last: Option<(String, String)>,
}

impl State {
    fn path_string(&self, child: Option<&str>) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Segment::Key(k) if out.is_empty() => out.push_str(k),
                Segment::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if let Some(c) = child {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(c);
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    }
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    STATE.with(|s| s.borrow_mut().as_mut().map(f))
}

pub(crate) fn mode() -> Mode {
    with_state(|s| s.mode).unwrap_or(Mode::Plain)
}

/// A decode under way on this thread; dropping it restores what was there before.
struct Scope {
    previous: Option<State>,
}

impl Scope {
    fn enter(mode: Mode) -> Scope {
        let state = State { mode, path: Vec::new(), corrections: Vec::new(), quiet: 0, last: None };
        Scope { previous: STATE.with(|s| s.borrow_mut().replace(state)) }
    }

    fn finish(self) -> Vec<Correction> {
        with_state(|s| std::mem::take(&mut s.corrections)).unwrap_or_default()
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        STATE.with(|s| *s.borrow_mut() = previous);
    }
}

/// Records a correction at the current path (or its child) when decoding leniently; false when
/// the mode does not allow it, so that the caller fails instead.
pub(crate) fn record(kind: CorrectionKind, expected: &str, found: Option<&Value>, child: Option<&str>) -> bool {
    with_state(|s| match s.mode {
        Mode::Lenient => {
            if s.quiet == 0 {
                let path = s.path_string(child);
                s.corrections.push(Correction { path, kind, expected: expected.to_string(), found: found.cloned() });
            }
            true
        }
        _ => false,
    })
    .unwrap_or(false)
}

/// One level down the path while alive.
struct Down(());

impl Down {
    fn key(key: &str) -> Down {
        with_state(|s| s.path.push(Segment::Key(key.to_string())));
        Down(())
    }

    fn index(index: usize) -> Down {
        with_state(|s| s.path.push(Segment::Index(index)));
        Down(())
    }
}

impl Drop for Down {
    fn drop(&mut self) {
        with_state(|s| s.path.pop());
    }
}

/// Runs `f` with corrections not recorded (a fallback value is being built).
fn quietly<R>(f: impl FnOnce() -> R) -> R {
    let _quiet = Quiet::new();
    f()
}

/// Runs `f` in `mode` with its own list of corrections, and hands them back.
/// The errors made inside it are its own: the last one is forgotten after it, so that a later
/// error with the same text is not given the path of one an attempt made and dropped.
pub(crate) fn attempt<R>(mode: Mode, f: impl FnOnce() -> R) -> (R, Vec<Correction>) {
    let attempt = Attempt::begin(mode);
    let out = f();
    (out, attempt.end())
}

/// An [`attempt`] under way: what it set aside, given back by [`Attempt::end`]. Not generic,
/// so that the code the generated types instantiate per field type stays small.
pub(crate) struct Attempt {
    saved: Option<Saved>,
}

/// What an attempt sets aside: the mode, the corrections so far, the quiet depth, and the
/// last error's text and path.
type Saved = (Mode, Vec<Correction>, u32, Option<(String, String)>);

impl Attempt {
    pub(crate) fn begin(mode: Mode) -> Attempt {
        let saved = with_state(|s| {
            let quiet = std::mem::take(&mut s.quiet);
            (std::mem::replace(&mut s.mode, mode), std::mem::take(&mut s.corrections), quiet, s.last.take())
        });
        Attempt { saved }
    }

    /// Restores what was set aside; the corrections made meanwhile.
    pub(crate) fn end(self) -> Vec<Correction> {
        match self.saved {
            Some((m, c, q, last)) => with_state(|s| {
                s.mode = m;
                s.quiet = q;
                s.last = last;
                std::mem::replace(&mut s.corrections, c)
            })
            .unwrap_or_default(),
            None => Vec::new(),
        }
    }
}

/// An optional field's value being read leniently (see [`crate::de::Optional`]).
pub(crate) struct OptionalRead {
    attempt: Attempt,
}

impl OptionalRead {
    pub(crate) fn begin() -> OptionalRead {
        OptionalRead { attempt: Attempt::begin(Mode::Lenient) }
    }

    /// Ends the read: whether the value itself could not be read as the type (a correction
    /// `Replaced` at this very path), so that the field is `None`, recorded as
    /// [`CorrectionKind::Dropped`]. Corrections deeper in a value that reads are kept as they
    /// are; those of a read that failed are not.
    pub(crate) fn end(self, read: bool) -> bool {
        let mut corrections = self.attempt.end();
        if !read || corrections.is_empty() {
            return false;
        }
        // The path is where it was at the start (the reads below it went back up): made only
        // now, as most values need no correction.
        let here = here();
        let replaced = corrections.iter().position(|c| c.path == here && c.kind == CorrectionKind::Replaced);
        if let Some(i) = replaced {
            let mut dropped = corrections.swap_remove(i);
            dropped.kind = CorrectionKind::Dropped;
            keep(vec![dropped]);
            return true;
        }
        keep(corrections);
        false
    }
}

/// Adds corrections made by an [`attempt`] that was kept.
pub(crate) fn keep(corrections: Vec<Correction>) {
    with_state(|s| {
        if s.quiet == 0 {
            s.corrections.extend(corrections)
        }
    });
}

/// The current path, for comparing with a correction's.
pub(crate) fn here() -> String {
    with_state(|s| s.path_string(None)).unwrap_or_else(|| ".".into())
}

/// The fallback of a type: what it decodes from when nothing usable came (`""`, `0`, `false`,
/// empty, `None`, `Unknown`, a struct of fallbacks), built without recording corrections.
pub(crate) fn fallback<'de, T: de::Deserialize<'de>>() -> Result<T, Failure> {
    // A required field of a recursive type would have a fallback without end.
    if with_state(|s| s.quiet).unwrap_or(0) > MAX_FALLBACK_DEPTH {
        return Err(de::Error::custom("no fallback for a type that requires itself"));
    }
    quietly(|| T::deserialize(Lenient(&Value::Null)))
}

const MAX_FALLBACK_DEPTH: u32 = 32;

/// Whether a fallback value is being built (a union then takes its catch-all at once).
pub(crate) fn building_fallback() -> bool {
    with_state(|s| s.quiet > 0).unwrap_or(false)
}

/// A deserializer over a JSON tree that converts or replaces what does not fit the type asked
/// for, as the mode says. It never borrows from the tree, so it serves any `'de`.
#[derive(Clone, Copy)]
pub(crate) struct Lenient<'v>(pub(crate) &'v Value);

fn kind_of(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => de::Unexpected::Signed(i),
            (_, Some(u)) => de::Unexpected::Unsigned(u),
            _ => de::Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Expected(&'static str);

impl de::Expected for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// While alive, corrections are not recorded: the visit that follows builds a fallback.
pub(crate) struct Quiet(());

impl Quiet {
    fn new() -> Quiet {
        with_state(|s| s.quiet += 1);
        Quiet(())
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        with_state(|s| s.quiet = s.quiet.saturating_sub(1));
    }
}

// What each `deserialize_*` hands its visitor is worked out here, out of line: the generic
// methods below are stamped out once per visitor type, so they only make one visit each.
impl<'v> Lenient<'v> {
    /// A value that converts without loss: recorded, or an error when strict.
    fn converted(self, expected: &'static str) -> Result<Option<Quiet>, Failure> {
        if record(CorrectionKind::Converted, expected, Some(self.0), None) {
            Ok(None)
        } else {
            Err(de::Error::invalid_type(kind_of(self.0), &Expected(expected)))
        }
    }

    /// A value that does not fit: recorded, its fallback built quietly; an error when strict.
    fn replaced(self, expected: &'static str) -> Result<Option<Quiet>, Failure> {
        if record(CorrectionKind::Replaced, expected, Some(self.0), None) {
            Ok(Some(Quiet::new()))
        } else {
            Err(de::Error::invalid_type(kind_of(self.0), &Expected(expected)))
        }
    }

    fn integer(self) -> Result<Option<(i64, Option<Quiet>)>, Failure> {
        match self.0 {
            Value::Number(n) => match n.as_i64() {
                Some(i) => Ok(Some((i, None))),
                None => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                        Ok(Some((f as i64, self.converted("an integer")?)))
                    }
                    _ => Ok(None),
                },
            },
            Value::String(s) => match (s.trim().parse::<i64>(), s.trim().parse::<f64>()) {
                (Ok(i), _) => Ok(Some((i, self.converted("an integer")?))),
                // `"12.0"`, as the number `12.0` converts; not `"12.5"` nor `"1e300"`.
                (_, Ok(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                    Ok(Some((f as i64, self.converted("an integer")?)))
                }
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    fn int_in(self, lo: i64, hi: i64) -> Result<(i64, Option<Quiet>), Failure> {
        match self.integer()? {
            Some((i, q)) if (lo..=hi).contains(&i) => Ok((i, q)),
            _ => Ok((0, self.replaced("an integer")?)),
        }
    }

    fn unsigned(self, hi: u64) -> Result<(u64, Option<Quiet>), Failure> {
        if let Value::Number(n) = self.0 {
            if let Some(u) = n.as_u64().filter(|u| *u <= hi) {
                return Ok((u, None));
            }
        }
        match self.integer()? {
            Some((i, q)) if i >= 0 && (i as u64) <= hi => Ok((i as u64, q)),
            _ => Ok((0, self.replaced("an unsigned integer")?)),
        }
    }

    fn float(self) -> Result<(f64, Option<Quiet>), Failure> {
        match self.0 {
            Value::Number(n) => Ok((n.as_f64().unwrap_or(0.0), None)),
            Value::String(s) => match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => Ok((f, self.converted("a number")?)),
                _ => Ok((0.0, self.replaced("a number")?)),
            },
            _ => Ok((0.0, self.replaced("a number")?)),
        }
    }

    fn boolean(self) -> Result<(bool, Option<Quiet>), Failure> {
        let word = match self.0 {
            Value::Bool(b) => return Ok((*b, None)),
            Value::String(s) => s.trim(),
            Value::Number(n) if n.as_i64() == Some(1) => "1",
            Value::Number(n) if n.as_i64() == Some(0) => "0",
            _ => "",
        };
        match word {
            "true" | "1" => Ok((true, self.converted("a boolean")?)),
            "false" | "0" => Ok((false, self.converted("a boolean")?)),
            _ => Ok((false, self.replaced("a boolean")?)),
        }
    }

    fn text(self) -> Result<(std::borrow::Cow<'v, str>, Option<Quiet>), Failure> {
        match self.0 {
            Value::String(s) => Ok((s.as_str().into(), None)),
            Value::Number(n) => Ok((n.to_string().into(), self.converted("a string")?)),
            Value::Bool(b) => Ok(((if *b { "true" } else { "false" }).into(), self.converted("a string")?)),
            _ => Ok(("".into(), self.replaced("a string")?)),
        }
    }

    fn list(self) -> Result<(Items<'v>, Option<Quiet>), Failure> {
        match self.0 {
            Value::Array(items) => Ok((Items { items: items.iter(), index: 0 }, None)),
            _ => Ok((Items { items: [].iter(), index: 0 }, self.replaced("a list")?)),
        }
    }

    fn object(self) -> Result<(Entries<'v>, Option<Quiet>), Failure> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match self.0 {
            Value::Object(map) => Ok((Entries::new(map), None)),
            _ => Ok((Entries::new(EMPTY.get_or_init(Map::new)), self.replaced("an object")?)),
        }
    }
}

macro_rules! forward_int {
    ($($method:ident => $lo:expr, $hi:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
            let (i, _quiet) = self.int_in($lo, $hi)?;
            visitor.visit_i64(i)
        }
    )*};
}

macro_rules! forward_uint {
    ($($method:ident => $hi:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
            let (u, _quiet) = self.unsigned($hi)?;
            visitor.visit_u64(u)
        }
    )*};
}

impl<'de, 'v> de::Deserializer<'de> for Lenient<'v> {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Items { items: items.iter(), index: 0 }),
            Value::Object(map) => visitor.visit_map(Entries::new(map)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let (b, _quiet) = self.boolean()?;
        visitor.visit_bool(b)
    }

    forward_int! {
        deserialize_i8 => i8::MIN as i64, i8::MAX as i64;
        deserialize_i16 => i16::MIN as i64, i16::MAX as i64;
        deserialize_i32 => i32::MIN as i64, i32::MAX as i64;
        deserialize_i64 => i64::MIN, i64::MAX;
    }

    forward_uint! {
        deserialize_u8 => u8::MAX as u64;
        deserialize_u16 => u16::MAX as u64;
        deserialize_u32 => u32::MAX as u64;
        deserialize_u64 => u64::MAX;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let (f, _quiet) = self.float()?;
        visitor.visit_f64(f)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let (text, _quiet) = self.text()?;
        visitor.visit_str(&text)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let (items, _quiet) = self.list()?;
        visitor.visit_seq(items)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let (entries, _quiet) = self.object()?;
        visitor.visit_map(entries)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => Err(de::Error::invalid_type(kind_of(other), &"a string")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Failure> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(0.0))
    }
}

/// The items of a list, each decoded at its index.
struct Items<'v> {
    items: std::slice::Iter<'v, Value>,
    index: usize,
}

impl<'de, 'v> SeqAccess<'de> for Items<'v> {
    type Error = Failure;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Failure> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        let _down = Down::index(index);
        seed.deserialize(Lenient(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, each value decoded at its key.
struct Entries<'v> {
    entries: serde_json::map::Iter<'v>,
    value: Option<(&'v str, &'v Value)>,
}

impl<'v> Entries<'v> {
    fn new(map: &'v Map<String, Value>) -> Self {
        Entries { entries: map.iter(), value: None }
    }
}

impl<'de, 'v> MapAccess<'de> for Entries<'v> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Failure> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some((key, value));
        seed.deserialize(de::value::StrDeserializer::<Failure>::new(key)).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Failure> {
        match self.value.take() {
            Some((key, value)) => {
                let _down = Down::key(key);
                seed.deserialize(Lenient(value))
            }
            None => Err(de::Error::custom("a value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lenient<T: DeserializeOwned>(json: &str) -> Decoded<T> {
        decode(json.as_bytes(), DecodeMode::Lenient).unwrap()
    }

    fn strict<T: DeserializeOwned + fmt::Debug>(json: &str) -> Failure {
        decode::<T>(json.as_bytes(), DecodeMode::Strict).unwrap_err()
    }

    #[test]
    fn lossless_conversions_are_recorded() {
        let d = lenient::<Vec<f64>>(r#"[1.5, "0.0106"]"#);
        assert_eq!(d.value, vec![1.5, 0.0106]);
        assert_eq!(d.corrections.len(), 1);
        assert_eq!(d.corrections[0].path, "[1]");
        assert_eq!(d.corrections[0].kind, CorrectionKind::Converted);
        let d = lenient::<BTreeMap<String, i64>>(r#"{"a": "12", "b": 3.0, "c": 4}"#);
        assert_eq!(d.value.values().copied().collect::<Vec<_>>(), [12, 3, 4]);
        assert_eq!(d.corrections.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let d = lenient::<(String, String, bool)>(r#"[7, true, "false"]"#);
        assert_eq!(d.value, ("7".to_string(), "true".to_string(), false));
        assert_eq!(d.corrections.len(), 3);
    }

    #[test]
    fn what_does_not_convert_takes_the_fallback() {
        let d = lenient::<(bool, i64, String, Vec<u8>, i32)>(r#"["both", {"x": 1}, null, 5, 3000000000]"#);
        assert_eq!(d.value, (false, 0, String::new(), vec![], 0));
        let kinds: Vec<_> = d.corrections.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("[0]", CorrectionKind::Replaced),
                ("[1]", CorrectionKind::Replaced),
                ("[2]", CorrectionKind::Replaced),
                ("[3]", CorrectionKind::Replaced),
                ("[4]", CorrectionKind::Replaced)
            ]
        );
        assert_eq!(d.corrections[2].to_string(), "`[2]`: expected a string, found null (replaced by the fallback)");
        assert_eq!(d.corrections[0].found, Some(Value::String("both".into())));
    }

    #[test]
    fn strict_mode_names_the_path() {
        let e = strict::<BTreeMap<String, Vec<i64>>>(r#"{"a": [1, "2"]}"#);
        assert_eq!(e.path, "a[1]");
        assert!(e.message.contains("expected an integer"), "{e}");
        let e = strict::<i64>("not json");
        assert!(e.message.starts_with("the body is not JSON"), "{e}");
    }

    #[test]
    fn booleans_from_one_and_zero_and_integers_from_whole_number_text() {
        let d = lenient::<(bool, bool, bool, bool, i64, i32)>(r#"[1, 0, "1", "0", "12.0", " 7 "]"#);
        assert_eq!(d.value, (true, false, true, false, 12, 7));
        assert!(d.corrections.iter().all(|c| c.kind == CorrectionKind::Converted), "{:?}", d.corrections);
        assert_eq!(d.corrections.len(), 6);
        // What is not a whole number, or not one or zero, is no such value.
        let d = lenient::<(bool, i64, i64)>(r#"[2, "12.5", "1e300"]"#);
        assert_eq!(d.value, (false, 0, 0));
        assert!(d.corrections.iter().all(|c| c.kind == CorrectionKind::Replaced), "{:?}", d.corrections);
    }

    /// A struct with an optional field, decoded as the generated structs are.
    #[derive(Debug, PartialEq)]
    struct Opt {
        n: Option<i64>,
        list: Option<Vec<i64>>,
    }

    impl<'de> de::Deserialize<'de> for Opt {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Opt;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("struct Opt")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Opt, A::Error> {
                    let (mut n, mut list) = (None, None);
                    while let Some(key) = map.next_key_seed(crate::de::Field(&["n", "list"]))? {
                        match key {
                            0 => n = crate::de::optional(&mut map)?,
                            1 => list = crate::de::optional(&mut map)?,
                            _ => crate::de::skip(&mut map)?,
                        }
                    }
                    Ok(Opt { n, list })
                }
            }
            d.deserialize_struct("Opt", &["n", "list"], V)
        }
    }

    #[test]
    fn an_optional_value_that_does_not_convert_is_left_out() {
        // Not `Some(0)`, a value the server never sent: `None`, recorded.
        let d = lenient::<Opt>(r#"{"n": {"x": 1}, "list": [1, "two", 3]}"#);
        assert_eq!(d.value, Opt { n: None, list: Some(vec![1, 0, 3]) });
        let kinds: Vec<_> = d.corrections.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(kinds, [("n", CorrectionKind::Dropped), ("list[1]", CorrectionKind::Replaced)]);
        assert_eq!(d.corrections[0].to_string(), "`n`: expected an integer, found {\"x\":1} (left out)");
        // What converts stays; strictly, it is an error at its path.
        assert_eq!(lenient::<Opt>(r#"{"n": "5"}"#).value, Opt { n: Some(5), list: None });
        assert_eq!(strict::<Opt>(r#"{"n": {"x": 1}}"#).path, "n");
    }

    /// An untagged union of an integer and a string, as the generated ones decode.
    #[derive(Debug)]
    #[allow(dead_code)]
    enum Num {
        Int(i64),
        Text(String),
    }

    impl<'de> de::Deserialize<'de> for Num {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            crate::de::untagged(
                d,
                "Num",
                &[|v| crate::de::variant(v).map(Num::Int), |v| crate::de::variant(v).map(Num::Text)],
                |_| Num::Text(String::new()),
            )
        }
    }

    #[test]
    fn a_strict_error_names_its_own_path() {
        // Trying `Num::Int` on `"x"` fails with the very text the second element's error has;
        // that attempt's failure was dropped, and must not lend its path.
        let e = strict::<(Num, i64)>(r#"["x", "x"]"#);
        assert_eq!(e.path, "[1]", "{e}");
    }

    #[test]
    fn a_matching_body_takes_the_fast_path_and_state_is_restored() {
        let d = lenient::<Option<Vec<i64>>>("[1, 2]");
        assert!(d.corrections.is_empty());
        assert_eq!(mode(), Mode::Plain);
        let d = lenient::<Option<i64>>("  ");
        assert_eq!(d.value, None);
        // Outside a decode, serde alone decides, as before.
        assert!(serde_json::from_str::<i64>("\"1\"").is_err());
    }
}
