//! Times: RFC 3339 text to and from Unix seconds (UTC), with no clock.

use crate::der::days_from_civil;

/// RFC 3339 text of Unix seconds (UTC), `YYYY-MM-DDTHH:MM:SSZ`.
pub fn fmt_time(secs: i64) -> String {
    Rfc3339(secs).to_string()
}

/// Unix seconds displayed as RFC 3339 text (UTC, `YYYY-MM-DDTHH:MM:SSZ`), for writing a time
/// into a larger output without an intermediate string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rfc3339(pub i64);

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d, hh, mm, ss) = civil_time(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    }
}

/// Unix seconds as UTC calendar fields: (year, month 1–12, day 1–31, hour, minute, second).
pub fn civil_time(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    let (y, m, d) = civil_from_days(days);
    (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses an RFC 3339 date-time (`2026-06-01T08:00:00Z`, `…T08:00:00.5+08:00`) into Unix
/// seconds; fractions of a second are dropped. `None` for anything else, including leap
/// seconds and out-of-range fields.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let d = b.get(r)?;
        if d.iter().all(u8::is_ascii_digit) {
            Some(d.iter().fold(0i64, |a, c| a * 10 + (c - b'0') as i64))
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in_month || hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let (oh, om) = (
                ((h1 - b'0') * 10 + (h2 - b'0')) as i64,
                ((m1 - b'0') * 10 + (m2 - b'0')) as i64,
            );
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'+' { o } else { -o }
        }
        _ => return None,
    };
    Some(
        days_from_civil(year, month as u32, day as u32) * 86_400 + hour * 3600 + min * 60 + sec
            - offset,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_offsets() {
        assert_eq!(parse_rfc3339("2026-06-01T00:00:00Z"), Some(1_780_272_000));
        assert_eq!(
            parse_rfc3339("2026-06-01T08:00:00+08:00"),
            Some(1_780_272_000)
        );
        assert_eq!(
            parse_rfc3339("2026-05-31T19:00:00.999-05:00"),
            Some(1_780_272_000)
        );
        assert_eq!(fmt_time(1_780_272_000), "2026-06-01T00:00:00Z");
        assert_eq!(parse_rfc3339(&fmt_time(-86_400)), Some(-86_400));
        for bad in [
            "2026-02-29T00:00:00Z",
            "2026-06-01T24:00:00Z",
            "2026-06-01T00:00:60Z",
            "2026-06-01T00:00:00",
            "2026-06-01",
            "yesterday",
            "2026-06-01T00:00:00.Z",
            "2026-06-01T00:00:00+8:00",
            "２０２６-06-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
