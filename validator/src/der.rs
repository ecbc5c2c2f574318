//! A strict, zero-copy DER reader for the hot path.
//!
//! Certificates are parsed the way rustls-webpki parses them: the TBS is sliced, fields are
//! kept as byte ranges and only decoded where a check needs them. Only DER is accepted:
//! definite, minimally encoded lengths; low-tag-number form; BOOLEAN TRUE as `0xFF`; minimal
//! INTEGERs. Anything else is a [`DerError`].

use core::fmt;

/// Universal and context tags used by X.509.
pub mod tag {
    /// BOOLEAN
    pub const BOOLEAN: u8 = 0x01;
    /// INTEGER
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING
    pub const BIT_STRING: u8 = 0x03;
    /// OCTET STRING
    pub const OCTET_STRING: u8 = 0x04;
    /// NULL
    pub const NULL: u8 = 0x05;
    /// OBJECT IDENTIFIER
    pub const OID: u8 = 0x06;
    /// ENUMERATED
    pub const ENUMERATED: u8 = 0x0A;
    /// UTF8String
    pub const UTF8_STRING: u8 = 0x0C;
    /// PrintableString
    pub const PRINTABLE_STRING: u8 = 0x13;
    /// TeletexString
    pub const TELETEX_STRING: u8 = 0x14;
    /// IA5String
    pub const IA5_STRING: u8 = 0x16;
    /// UTCTime
    pub const UTC_TIME: u8 = 0x17;
    /// GeneralizedTime
    pub const GENERALIZED_TIME: u8 = 0x18;
    /// UniversalString
    pub const UNIVERSAL_STRING: u8 = 0x1C;
    /// BMPString
    pub const BMP_STRING: u8 = 0x1E;
    /// VisibleString
    pub const VISIBLE_STRING: u8 = 0x1A;
    /// SEQUENCE (constructed)
    pub const SEQUENCE: u8 = 0x30;
    /// SET (constructed)
    pub const SET: u8 = 0x31;

    /// `[n]` IMPLICIT, primitive.
    pub const fn context(n: u8) -> u8 {
        0x80 | n
    }
    /// `[n]`, constructed (EXPLICIT or IMPLICIT of a constructed type).
    pub const fn context_constructed(n: u8) -> u8 {
        0xA0 | n
    }
}

/// Why bytes are not valid DER for the expected structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DerError {
    /// The input ended inside an element.
    Truncated,
    /// A length was indefinite, not minimal, or too large.
    BadLength,
    /// A high-tag-number form tag, which X.509 never uses.
    UnsupportedTag,
    /// An element had a tag other than the one expected.
    UnexpectedTag {
        /// The tag expected.
        expected: u8,
        /// The tag found.
        found: u8,
    },
    /// Bytes were left after the last expected element.
    TrailingData,
    /// A value was not the DER encoding of its type (e.g. a non-minimal INTEGER).
    BadValue(&'static str),
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DerError::Truncated => f.write_str("truncated DER element"),
            DerError::BadLength => f.write_str("invalid DER length"),
            DerError::UnsupportedTag => f.write_str("unsupported DER tag form"),
            DerError::UnexpectedTag { expected, found } => {
                write!(f, "expected DER tag 0x{expected:02x}, found 0x{found:02x}")
            }
            DerError::TrailingData => f.write_str("trailing data after DER element"),
            DerError::BadValue(what) => write!(f, "invalid DER value: {what}"),
        }
    }
}

impl std::error::Error for DerError {}

/// One tag-length-value element.
#[derive(Clone, Copy, Debug)]
pub struct Tlv<'a> {
    /// The tag byte.
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// The whole encoding: tag, length and contents.
    pub full: &'a [u8],
}

/// A cursor over DER input.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    /// Whether every byte was consumed.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Reads the next element, whatever its tag.
    pub fn read(&mut self) -> Result<Tlv<'a>, DerError> {
        let start = self.pos;
        let tag = *self.data.get(self.pos).ok_or(DerError::Truncated)?;
        if tag & 0x1F == 0x1F {
            return Err(DerError::UnsupportedTag);
        }
        let first = *self.data.get(self.pos + 1).ok_or(DerError::Truncated)?;
        let mut p = self.pos + 2;
        let len = if first < 0x80 {
            first as usize
        } else {
            let n = (first & 0x7F) as usize;
            if n == 0 || n > 4 {
                return Err(DerError::BadLength);
            }
            let bytes = self.data.get(p..p + n).ok_or(DerError::Truncated)?;
            if bytes[0] == 0 {
                return Err(DerError::BadLength);
            }
            let mut len = 0usize;
            for b in bytes {
                len = (len << 8) | *b as usize;
            }
            if len < 0x80 {
                return Err(DerError::BadLength);
            }
            p += n;
            len
        };
        let end = p.checked_add(len).ok_or(DerError::BadLength)?;
        let value = self.data.get(p..end).ok_or(DerError::Truncated)?;
        self.pos = end;
        Ok(Tlv {
            tag,
            value,
            full: &self.data[start..end],
        })
    }

    /// Reads the next element, which must have tag `expected`.
    pub fn expect(&mut self, expected: u8) -> Result<Tlv<'a>, DerError> {
        let tlv = self.read()?;
        if tlv.tag != expected {
            return Err(DerError::UnexpectedTag {
                expected,
                found: tlv.tag,
            });
        }
        Ok(tlv)
    }

    /// Reads the next element if it has tag `t`.
    pub fn optional(&mut self, t: u8) -> Result<Option<Tlv<'a>>, DerError> {
        if self.peek_tag() == Some(t) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a SEQUENCE and returns a reader over its contents.
    pub fn sequence(&mut self) -> Result<Reader<'a>, DerError> {
        Ok(Reader::new(self.expect(tag::SEQUENCE)?.value))
    }

    /// Fails unless every byte was consumed.
    pub fn finish(&self) -> Result<(), DerError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingData)
        }
    }

    /// Reads a DER BOOLEAN.
    pub fn boolean(&mut self) -> Result<bool, DerError> {
        boolean_value(self.expect(tag::BOOLEAN)?.value)
    }

    /// Reads an OBJECT IDENTIFIER and returns its contents octets.
    pub fn oid(&mut self) -> Result<&'a [u8], DerError> {
        let v = self.expect(tag::OID)?.value;
        check_oid(v)?;
        Ok(v)
    }

    /// Reads a small non-negative INTEGER.
    pub fn small_uint(&mut self) -> Result<u64, DerError> {
        small_uint_value(self.expect(tag::INTEGER)?.value)
    }
}

/// Parses `data` as exactly one element with tag `t` and returns its contents.
pub fn single(data: &[u8], t: u8) -> Result<&[u8], DerError> {
    let mut r = Reader::new(data);
    let v = r.expect(t)?.value;
    r.finish()?;
    Ok(v)
}

/// The position of a sub-slice within `whole`: a function from a slice of `whole` to its
/// range there (what parsers keep instead of borrowing, once `whole` moves into the
/// parsed value).
pub fn ranges_within(whole: &[u8]) -> impl Fn(&[u8]) -> std::ops::Range<usize> + use<> {
    let base = whole.as_ptr() as usize;
    move |s: &[u8]| {
        let start = s.as_ptr() as usize - base;
        start..start + s.len()
    }
}

/// Decodes BOOLEAN contents octets.
pub fn boolean_value(v: &[u8]) -> Result<bool, DerError> {
    match v {
        [0x00] => Ok(false),
        [0xFF] => Ok(true),
        _ => Err(DerError::BadValue("BOOLEAN")),
    }
}

/// Checks INTEGER contents octets for minimal encoding.
pub fn check_integer(v: &[u8]) -> Result<(), DerError> {
    match v {
        [] => Err(DerError::BadValue("empty INTEGER")),
        [0x00, b, ..] if b & 0x80 == 0 => Err(DerError::BadValue("non-minimal INTEGER")),
        [0xFF, b, ..] if b & 0x80 != 0 => Err(DerError::BadValue("non-minimal INTEGER")),
        _ => Ok(()),
    }
}

/// Decodes a non-negative INTEGER that fits in 64 bits.
pub fn small_uint_value(v: &[u8]) -> Result<u64, DerError> {
    check_integer(v)?;
    if v[0] & 0x80 != 0 {
        return Err(DerError::BadValue("negative INTEGER"));
    }
    let v = if v[0] == 0 { &v[1..] } else { v };
    if v.len() > 8 {
        return Err(DerError::BadValue("INTEGER too large"));
    }
    Ok(v.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64))
}

/// Checks OBJECT IDENTIFIER contents octets (non-empty, minimal base-128 arcs).
pub fn check_oid(v: &[u8]) -> Result<(), DerError> {
    if v.is_empty() || v[v.len() - 1] & 0x80 != 0 {
        return Err(DerError::BadValue("OBJECT IDENTIFIER"));
    }
    let mut start = true;
    for b in v {
        if start && *b == 0x80 {
            return Err(DerError::BadValue("non-minimal OBJECT IDENTIFIER arc"));
        }
        start = b & 0x80 == 0;
    }
    Ok(())
}

/// Decodes BIT STRING contents: returns (unused bits, bytes).
pub fn bit_string_value(v: &[u8]) -> Result<(u8, &[u8]), DerError> {
    let (&unused, bits) = v.split_first().ok_or(DerError::BadValue("BIT STRING"))?;
    if unused > 7 || (bits.is_empty() && unused != 0) {
        return Err(DerError::BadValue("BIT STRING"));
    }
    if let Some(last) = bits.last()
        && unused > 0
        && last & ((1u8 << unused) - 1) != 0
    {
        return Err(DerError::BadValue("BIT STRING padding bits"));
    }
    Ok((unused, bits))
}

/// Decodes a BIT STRING that must have no unused bits (keys, signatures).
pub fn octet_aligned_bits(v: &[u8]) -> Result<&[u8], DerError> {
    match bit_string_value(v)? {
        (0, bits) => Ok(bits),
        _ => Err(DerError::BadValue("BIT STRING with unused bits")),
    }
}

/// Seconds since the Unix epoch of a UTCTime or GeneralizedTime in the DER profile of RFC 5280
/// §4.1.2.5: `YYMMDDHHMMSSZ` or `YYYYMMDDHHMMSSZ`.
pub fn time_value(t: &Tlv<'_>) -> Result<i64, DerError> {
    let v = t.value;
    let (year, rest) = match t.tag {
        tag::UTC_TIME => {
            if v.len() != 13 {
                return Err(DerError::BadValue("UTCTime"));
            }
            let yy = digits(&v[0..2])? as i64;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &v[2..])
        }
        tag::GENERALIZED_TIME => {
            if v.len() != 15 {
                return Err(DerError::BadValue("GeneralizedTime"));
            }
            (digits(&v[0..4])? as i64, &v[4..])
        }
        _ => return Err(DerError::BadValue("time")),
    };
    if rest[10] != b'Z' {
        return Err(DerError::BadValue("time zone"));
    }
    let month = digits(&rest[0..2])?;
    let day = digits(&rest[2..4])?;
    let hour = digits(&rest[4..6])?;
    let min = digits(&rest[6..8])?;
    let sec = digits(&rest[8..10])?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || min > 59
        || sec > 59
    {
        return Err(DerError::BadValue("time out of range"));
    }
    Ok(days_from_civil(year, month, day) * 86400
        + hour as i64 * 3600
        + min as i64 * 60
        + sec as i64)
}

fn digits(b: &[u8]) -> Result<u32, DerError> {
    b.iter().try_fold(0u32, |acc, c| {
        if c.is_ascii_digit() {
            Ok(acc * 10 + (c - b'0') as u32)
        } else {
            Err(DerError::BadValue("time digit"))
        }
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_must_be_minimal() {
        assert_eq!(
            Reader::new(&[0x04, 0x81, 0x01, 0x00]).read().unwrap_err(),
            DerError::BadLength
        );
        assert_eq!(
            Reader::new(&[0x04, 0x80]).read().unwrap_err(),
            DerError::BadLength
        );
        assert_eq!(
            Reader::new(&[0x04, 0x02, 0x00]).read().unwrap_err(),
            DerError::Truncated
        );
        let t = Reader::new(&[0x04, 0x01, 0x07]).read().unwrap();
        assert_eq!(t.value, &[7]);
    }

    #[test]
    fn integers_and_booleans() {
        assert!(check_integer(&[0x00, 0x01]).is_err());
        assert!(check_integer(&[0x00, 0x80]).is_ok());
        assert_eq!(small_uint_value(&[0x00, 0x80]).unwrap(), 128);
        assert!(boolean_value(&[0x01]).is_err());
        assert!(boolean_value(&[0xFF]).unwrap());
    }

    #[test]
    fn times() {
        let utc = Tlv {
            tag: tag::UTC_TIME,
            value: b"700101000000Z",
            full: &[],
        };
        assert_eq!(time_value(&utc).unwrap(), 0);
        let gt = Tlv {
            tag: tag::GENERALIZED_TIME,
            value: b"20260601000000Z",
            full: &[],
        };
        assert_eq!(time_value(&gt).unwrap(), 1_780_272_000);
        let bad = Tlv {
            tag: tag::UTC_TIME,
            value: b"700230000000Z",
            full: &[],
        };
        assert!(time_value(&bad).is_err());
        let frac = Tlv {
            tag: tag::GENERALIZED_TIME,
            value: b"20260601000000.5Z",
            full: &[],
        };
        assert!(time_value(&frac).is_err());
    }
}
