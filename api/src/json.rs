//! A small JSON writer for the answers the service renders on every new certificate: it
//! writes straight into one buffer, copies strings that need no escaping (nearly all of them)
//! in blocks, and formats times and numbers without the `fmt` machinery. Its output is
//! checked against `serde_json` in the tests.

/// A JSON text under construction.
#[derive(Debug, Default)]
pub struct Out {
    buf: Vec<u8>,
}

/// A value that can be written as JSON.
pub trait ToJson {
    /// Writes `self`.
    fn write(&self, out: &mut Out);
}

impl Out {
    /// An empty text with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Out {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// The text.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Writes an object: `f` adds its members through [`Obj::field`].
    pub fn object(&mut self, f: impl FnOnce(&mut Obj<'_>)) {
        self.buf.push(b'{');
        let mut o = Obj {
            out: self,
            first: true,
        };
        f(&mut o);
        self.buf.push(b'}');
    }

    /// Writes an array of the items.
    pub fn array<T: ToJson>(&mut self, items: impl IntoIterator<Item = T>) {
        self.buf.push(b'[');
        for (i, v) in items.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            v.write(self);
        }
        self.buf.push(b']');
    }

    /// Writes text that is already JSON.
    pub fn raw(&mut self, json: &str) {
        self.buf.extend_from_slice(json.as_bytes());
    }

    /// Writes a string, escaped.
    pub fn string(&mut self, s: &str) {
        self.buf.push(b'"');
        let b = s.as_bytes();
        let mut start = 0;
        // Blocks of 32 bytes with nothing to escape are copied whole (the test compiles to
        // vector compares); a block with something to escape is written byte by byte.
        for (n, chunk) in b.chunks(32).enumerate() {
            let dirty = chunk
                .iter()
                .fold(false, |d, &c| d | (c < 0x20) | (c == b'"') | (c == b'\\'));
            if !dirty {
                continue;
            }
            let base = n * 32;
            for (i, &c) in chunk.iter().enumerate() {
                if c < 0x20 || c == b'"' || c == b'\\' {
                    self.buf.extend_from_slice(&b[start..base + i]);
                    self.escape(c);
                    start = base + i + 1;
                }
            }
        }
        self.buf.extend_from_slice(&b[start..]);
        self.buf.push(b'"');
    }

    fn escape(&mut self, c: u8) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        match c {
            b'"' => self.buf.extend_from_slice(b"\\\""),
            b'\\' => self.buf.extend_from_slice(b"\\\\"),
            b'\n' => self.buf.extend_from_slice(b"\\n"),
            b'\r' => self.buf.extend_from_slice(b"\\r"),
            b'\t' => self.buf.extend_from_slice(b"\\t"),
            0x08 => self.buf.extend_from_slice(b"\\b"),
            0x0c => self.buf.extend_from_slice(b"\\f"),
            _ => self.buf.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xf)],
            ]),
        }
    }

    /// Writes an unsigned integer.
    pub fn unsigned(&mut self, mut v: u64) {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&tmp[i..]);
    }

    /// Writes a signed integer.
    pub fn signed(&mut self, v: i64) {
        if v < 0 {
            self.buf.push(b'-');
        }
        self.unsigned(v.unsigned_abs());
    }

    /// Writes Unix seconds as an RFC 3339 string (`"2026-06-01T08:00:00Z"`).
    pub fn time(&mut self, secs: i64) {
        let (y, mo, d, h, mi, s) = huren_validator::civil_time(secs);
        if !(0..=9999).contains(&y) {
            // Outside four-digit years (never in a certificate): the general formatter.
            self.string(&huren_validator::fmt_time(secs));
            return;
        }
        let two = |v: u32| [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8];
        let y = y as u32;
        let [y0, y1] = two(y / 100);
        let [y2, y3] = two(y % 100);
        let [mo0, mo1] = two(mo);
        let [d0, d1] = two(d);
        let [h0, h1] = two(h);
        let [mi0, mi1] = two(mi);
        let [s0, s1] = two(s);
        self.buf.extend_from_slice(&[
            b'"', y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':',
            s0, s1, b'Z', b'"',
        ]);
    }
}

/// An object being written.
pub struct Obj<'a> {
    out: &'a mut Out,
    first: bool,
}

impl Obj<'_> {
    /// Adds a member (`key` must need no escaping).
    pub fn field(&mut self, key: &str, value: impl ToJson) -> &mut Self {
        self.key(key);
        value.write(self.out);
        self
    }

    /// Adds a member whose value `f` writes.
    pub fn with(&mut self, key: &str, f: impl FnOnce(&mut Out)) -> &mut Self {
        self.key(key);
        f(self.out);
        self
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.buf.push(b',');
        }
        self.first = false;
        self.out.buf.push(b'"');
        self.out.buf.extend_from_slice(key.as_bytes());
        self.out.buf.extend_from_slice(b"\":");
    }
}

/// Unix seconds, written as an RFC 3339 string.
#[derive(Clone, Copy, Debug)]
pub struct Time(pub i64);

impl<F: Fn(&mut Out)> ToJson for F {
    fn write(&self, out: &mut Out) {
        self(out);
    }
}

impl ToJson for Time {
    fn write(&self, out: &mut Out) {
        out.time(self.0);
    }
}

impl ToJson for &str {
    fn write(&self, out: &mut Out) {
        out.string(self);
    }
}

impl ToJson for &String {
    fn write(&self, out: &mut Out) {
        out.string(self);
    }
}

impl ToJson for bool {
    fn write(&self, out: &mut Out) {
        out.raw(if *self { "true" } else { "false" });
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write(&self, out: &mut Out) {
                out.unsigned(u64::from(*self));
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64);

impl ToJson for usize {
    fn write(&self, out: &mut Out) {
        out.unsigned(*self as u64);
    }
}

impl ToJson for i64 {
    fn write(&self, out: &mut Out) {
        out.signed(*self);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write(&self, out: &mut Out) {
        match self {
            Some(v) => v.write(out),
            None => out.raw("null"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut samples: Vec<String> = vec![
            String::new(),
            "plain ascii".into(),
            "quote \" backslash \\ slash /".into(),
            "controls \n\r\t\u{8}\u{c}\u{1}\u{1f}".into(),
            "中文 ümlaut €".into(),
        ];
        // Escapes at every position around the 32-byte blocks.
        for n in [0, 1, 30, 31, 32, 33, 63, 64, 65, 100] {
            let mut s = "x".repeat(n);
            s.push('"');
            s.push_str(&"y".repeat(n));
            s.push('\n');
            samples.push(s);
        }
        for s in samples {
            let mut o = Out::default();
            o.string(&s);
            assert_eq!(
                String::from_utf8(o.into_bytes()).unwrap(),
                serde_json::to_string(&s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn numbers_times_and_objects() {
        let mut o = Out::default();
        o.object(|m| {
            m.field("a", 0u32)
                .field("b", u64::MAX)
                .field("c", i64::MIN)
                .field("d", -7i64)
                .field("e", Time(0))
                .field("f", Time(1_780_272_000))
                .field("g", Time(253_402_300_799))
                .field("h", Time(253_402_300_800))
                .field("i", Time(-1))
                .field("j", None::<u32>)
                .field("k", true)
                .with("l", |o| o.array([1u32, 2, 3]));
        });
        let v: serde_json::Value = serde_json::from_slice(&o.into_bytes()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "a": 0, "b": u64::MAX, "c": i64::MIN, "d": -7,
                "e": "1970-01-01T00:00:00Z", "f": "2026-06-01T00:00:00Z",
                "g": "9999-12-31T23:59:59Z", "h": huren_validator::fmt_time(253_402_300_800),
                "i": "1969-12-31T23:59:59Z", "j": null, "k": true, "l": [1, 2, 3],
            })
        );
    }
}
