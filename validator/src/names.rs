//! Distinguished names, general names, name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)–(c),
//! §6.1.4 (g)) and server identity (RFC 6125 / RFC 9525 as used by the Web PKI).

use crate::der::{self, DerError, Reader, tag};
use crate::oid;
use std::net::IpAddr;

/// One attribute of a relative distinguished name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The attribute type (OID contents octets).
    pub oid: Box<[u8]>,
    /// The string tag of the value (PrintableString, UTF8String, …).
    pub tag: u8,
    /// The value's contents octets as encoded.
    pub value: Box<[u8]>,
}

/// A parsed `Name` (an RDNSequence), with its DER and a normalised form for comparison.
#[derive(Clone, Debug)]
pub struct Name {
    der: Box<[u8]>,
    /// The attributes, decoded on first use (path building needs only `normalized`).
    rdns: std::sync::OnceLock<Vec<Vec<Attribute>>>,
    empty: bool,
    normalized: Box<[u8]>,
    fingerprint: u64,
    display: std::sync::OnceLock<std::sync::Arc<str>>,
}

impl PartialEq for Name {
    /// Names are equal when RFC 5280 §7.1 says they match: byte-equal, or equal after
    /// normalising each attribute value (case-insensitive, insignificant whitespace folded).
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der || self.normalized == other.normalized
    }
}
impl Eq for Name {}

impl Name {
    /// Parses the full DER of a `Name` (SEQUENCE OF SET OF AttributeTypeAndValue). The
    /// structure is checked in full; the comparison key is built at once, the attribute list
    /// on first use.
    pub fn from_der(full: &[u8]) -> Result<Self, DerError> {
        let seq = der::single(full, tag::SEQUENCE)?;
        let mut r = Reader::new(seq);
        let mut normalized = Vec::with_capacity(full.len());
        let mut empty = true;
        while !r.is_empty() {
            empty = false;
            let set = r.expect(tag::SET)?;
            let mut sr = Reader::new(set.value);
            normalized.push(0xFE);
            let mut keys: Vec<Vec<u8>> = Vec::new();
            let mut count = 0;
            while !sr.is_empty() {
                let mut atv = sr.sequence()?;
                let oid = atv.oid()?;
                let val = atv.read()?;
                atv.finish()?;
                count += 1;
                let mut key = Vec::with_capacity(oid.len() + val.value.len() + 8);
                key.extend_from_slice(&(oid.len() as u32).to_be_bytes());
                key.extend_from_slice(oid);
                normalize_value(val.tag, val.value, &mut key);
                keys.push(key);
            }
            if count == 0 {
                return Err(DerError::BadValue("empty RelativeDistinguishedName"));
            }
            // A SET's members compare as a set: order the keys.
            if keys.len() > 1 {
                keys.sort();
            }
            for k in keys {
                normalized.push(0xFD);
                normalized.extend_from_slice(&(k.len() as u32).to_be_bytes());
                normalized.extend_from_slice(&k);
            }
        }
        Ok(Name {
            der: full.into(),
            rdns: std::sync::OnceLock::new(),
            empty,
            fingerprint: fingerprint(&normalized),
            normalized: normalized.into(),
            display: std::sync::OnceLock::new(),
        })
    }

    fn decoded(&self) -> &[Vec<Attribute>] {
        self.rdns.get_or_init(|| {
            // The structure was checked by from_der; decoding again cannot fail.
            let mut rdns = Vec::new();
            let Ok(seq) = der::single(&self.der, tag::SEQUENCE) else {
                return rdns;
            };
            let mut r = Reader::new(seq);
            while let Ok(set) = r.expect(tag::SET) {
                let mut sr = Reader::new(set.value);
                let mut rdn = Vec::new();
                while let Ok(mut atv) = sr.sequence() {
                    if let (Ok(oid), Ok(val)) = (atv.oid(), atv.read()) {
                        rdn.push(Attribute {
                            oid: oid.into(),
                            tag: val.tag,
                            value: val.value.into(),
                        });
                    }
                }
                rdns.push(rdn);
            }
            rdns
        })
    }

    /// The DER encoding as it appeared.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// A byte string equal for names that match under RFC 5280 §7.1; usable as a map key.
    pub fn normalized(&self) -> &[u8] {
        &self.normalized
    }

    /// A 64-bit hash of [`Name::normalized`], computed once: equal names have equal
    /// fingerprints (the converse is not guaranteed; compare the names after a lookup).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The relative distinguished names, most significant first.
    pub fn rdns(&self) -> &[Vec<Attribute>] {
        self.decoded()
    }

    /// Whether the name has no RDNs.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Values of every attribute of type `oid` (contents octets).
    pub fn attributes<'a>(&'a self, oid: &'a [u8]) -> impl Iterator<Item = &'a Attribute> + 'a {
        self.decoded()
            .iter()
            .flatten()
            .filter(move |a| &*a.oid == oid)
    }

    /// Whether `self` lies within the subtree rooted at `base` (RFC 5280 §4.2.1.10: the
    /// constraint's RDNs are a prefix of the name's).
    pub fn within(&self, base: &Name) -> bool {
        // The normalised form is the RDN sequence as length-prefixed records, each RDN opened
        // by 0xFE: `base` is a prefix of `self` RDN by RDN exactly when its bytes are a prefix
        // ending where one of `self`'s RDNs begins. Linear, with no allocation.
        let (b, s) = (&*base.normalized, &*self.normalized);
        s.starts_with(b) && (s.len() == b.len() || s[b.len()] == 0xFE)
    }

    /// A readable one-line form (`CN=…, O=…, C=…`), most significant RDN last as in RFC 4514;
    /// computed once.
    pub fn display(&self) -> &str {
        self.display.get_or_init(|| self.render().into())
    }

    /// [`Name::display`], shared (no copy).
    pub fn display_shared(&self) -> std::sync::Arc<str> {
        self.display.get_or_init(|| self.render().into()).clone()
    }

    fn render(&self) -> String {
        // Straight from the DER (checked by from_der), without decoding the attribute list.
        let mut sets: Vec<&[u8]> = Vec::new();
        if let Ok(seq) = der::single(&self.der, tag::SEQUENCE) {
            let mut r = Reader::new(seq);
            while let Ok(set) = r.expect(tag::SET) {
                sets.push(set.value);
            }
        }
        let mut out = String::with_capacity(self.der.len());
        for set in sets.iter().rev() {
            if !out.is_empty() {
                out.push_str(", ");
            }
            let mut sr = Reader::new(set);
            let mut first = true;
            while let Ok(mut atv) = sr.sequence() {
                let (Ok(oid), Ok(val)) = (atv.oid(), atv.read()) else {
                    break;
                };
                if !first {
                    out.push('+');
                }
                first = false;
                match attr_label(oid) {
                    Some(label) => out.push_str(label),
                    None => out.push_str(&oid::dotted(oid)),
                }
                out.push('=');
                push_display_value(val.tag, val.value, &mut out);
            }
        }
        out
    }
}

/// A fast, fixed 64-bit hash (the multiply-rotate of rustc's FxHasher, word at a time).
fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    for b in chunks.remainder() {
        h = (h.rotate_left(5) ^ *b as u64).wrapping_mul(K);
    }
    h
}

fn is_string_tag(t: u8) -> bool {
    matches!(
        t,
        tag::UTF8_STRING
            | tag::PRINTABLE_STRING
            | tag::IA5_STRING
            | tag::VISIBLE_STRING
            | tag::TELETEX_STRING
    )
}

/// Appends the RFC 5280 §7.1 comparison form of a value: for directory strings, case-folded
/// with leading, trailing and repeated internal whitespace removed; other values verbatim.
fn normalize_value(t: u8, v: &[u8], out: &mut Vec<u8>) {
    let text = if is_string_tag(t) {
        std::str::from_utf8(v).ok()
    } else {
        None
    };
    match text {
        Some(s) => {
            out.push(0x01);
            let mut pending_space = false;
            let mut started = false;
            for c in s.chars() {
                if c.is_whitespace() {
                    pending_space = started;
                    continue;
                }
                if pending_space {
                    out.push(b' ');
                    pending_space = false;
                }
                started = true;
                if c.is_ascii() {
                    // The common case, without the Unicode case tables.
                    out.push(c.to_ascii_lowercase() as u8);
                } else {
                    for l in c.to_lowercase() {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                    }
                }
            }
        }
        None => {
            out.push(0x02);
            out.push(t);
            out.extend_from_slice(v);
        }
    }
}

fn attr_label(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        [0x55, 0x04, 0x05] => "serialNumber",
        [0x55, 0x04, 0x2a] => "GN",
        [0x55, 0x04, 0x04] => "SN",
        [0x55, 0x04, 0x61] => "organizationIdentifier",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
        oid::AT_EMAIL_ADDRESS => "emailAddress",
        _ => return None,
    })
}

fn push_display_value(t: u8, v: &[u8], out: &mut String) {
    if t == tag::BMP_STRING && v.len() % 2 == 0 {
        let units: Vec<u16> = v
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        out.push_str(&String::from_utf16_lossy(&units));
        return;
    }
    match std::str::from_utf8(v) {
        Ok(s) if !s.chars().any(char::is_control) => out.push_str(s),
        Ok(s) => out.extend(s.chars().map(|c| if c.is_control() { '?' } else { c })),
        Err(_) => out.push_str(&crate::cert::hex(v)),
    }
}

/// A `GeneralName` (RFC 5280 §4.2.1.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeneralName {
    /// `[1] rfc822Name` (an email address, or in constraints a mailbox, host or domain).
    Rfc822(String),
    /// `[2] dNSName`.
    Dns(String),
    /// `[4] directoryName`.
    Directory(Name),
    /// `[6] uniformResourceIdentifier`.
    Uri(String),
    /// `[7] iPAddress`: 4 or 16 octets in a name; 8 or 32 (address and mask) in a constraint.
    Ip(Vec<u8>),
    /// `[8] registeredID`.
    RegisteredId(Box<[u8]>),
    /// `[0] otherName`, `[3] x400Address`, `[5] ediPartyName`: kept by tag, never matched.
    Other(u8),
}

impl GeneralName {
    /// Parses one GeneralName element.
    pub fn parse(t: &der::Tlv<'_>) -> Result<Self, DerError> {
        Ok(match t.tag {
            0x81 => GeneralName::Rfc822(ia5(t.value)?),
            0x82 => GeneralName::Dns(ia5(t.value)?),
            0xA4 => GeneralName::Directory(Name::from_der(t.value)?),
            0x86 => GeneralName::Uri(ia5(t.value)?),
            0x87 => GeneralName::Ip(t.value.to_vec()),
            0x88 => {
                der::check_oid(t.value)?;
                GeneralName::RegisteredId(t.value.into())
            }
            0xA0 | 0xA3 | 0xA5 => GeneralName::Other(t.tag & 0x1F),
            _ => return Err(DerError::BadValue("GeneralName tag")),
        })
    }

    /// Parses `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName` contents.
    pub fn parse_sequence(contents: &[u8]) -> Result<Vec<Self>, DerError> {
        let mut r = Reader::new(contents);
        let mut out = Vec::new();
        while !r.is_empty() {
            out.push(GeneralName::parse(&r.read()?)?);
        }
        if out.is_empty() {
            return Err(DerError::BadValue("empty GeneralNames"));
        }
        Ok(out)
    }

    /// A readable form for reports.
    pub fn display(&self) -> String {
        match self {
            GeneralName::Rfc822(s) => format!("email:{s}"),
            GeneralName::Dns(s) => format!("DNS:{s}"),
            GeneralName::Directory(n) => format!("DirName:{}", n.display()),
            GeneralName::Uri(s) => format!("URI:{s}"),
            GeneralName::Ip(b) => match ip_from_bytes(b) {
                Some(ip) => format!("IP:{ip}"),
                None => format!("IP:{}", hex(b)),
            },
            GeneralName::RegisteredId(o) => format!("RID:{}", oid::dotted(o)),
            GeneralName::Other(t) => format!("other[{t}]"),
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
        _ => None,
    }
}

fn ia5(v: &[u8]) -> Result<String, DerError> {
    if !v.is_ascii() {
        return Err(DerError::BadValue("IA5String is not ASCII"));
    }
    Ok(String::from_utf8_lossy(v).into_owned())
}

/// A `GeneralSubtree` of a name constraint (minimum 0, maximum absent, as RFC 5280 requires).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneralSubtree {
    /// The base name.
    pub base: GeneralName,
}

/// The `nameConstraints` extension (RFC 5280 §4.2.1.10).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameConstraints {
    /// `permittedSubtrees`, if present.
    pub permitted: Option<Vec<GeneralSubtree>>,
    /// `excludedSubtrees`, if present.
    pub excluded: Option<Vec<GeneralSubtree>>,
}

impl NameConstraints {
    /// Parses the extension value (the SEQUENCE's full DER).
    pub fn from_der(value: &[u8]) -> Result<Self, DerError> {
        let seq = der::single(value, tag::SEQUENCE)?;
        let mut r = Reader::new(seq);
        let mut nc = NameConstraints::default();
        if let Some(t) = r.optional(tag::context_constructed(0))? {
            nc.permitted = Some(parse_subtrees(t.value)?);
        }
        if let Some(t) = r.optional(tag::context_constructed(1))? {
            nc.excluded = Some(parse_subtrees(t.value)?);
        }
        r.finish()?;
        if nc.permitted.is_none() && nc.excluded.is_none() {
            // RFC 5280 §4.2.1.10: "Conforming CAs MUST NOT issue certificates where name
            // constraints is an empty sequence."
            return Err(DerError::BadValue("empty NameConstraints"));
        }
        Ok(nc)
    }
}

fn parse_subtrees(contents: &[u8]) -> Result<Vec<GeneralSubtree>, DerError> {
    let mut r = Reader::new(contents);
    let mut out = Vec::new();
    while !r.is_empty() {
        let mut st = r.sequence()?;
        let base = GeneralName::parse(&st.read()?)?;
        // minimum [0] DEFAULT 0 (so absent in DER), maximum [1] absent: RFC 5280 §4.2.1.10.
        if let Some(min) = st.optional(tag::context(0))? {
            let m = der::small_uint_value(min.value)?;
            if m != 0 {
                return Err(DerError::BadValue("GeneralSubtree minimum must be 0"));
            }
            return Err(DerError::BadValue(
                "GeneralSubtree minimum encoded with its default",
            ));
        }
        if st.optional(tag::context(1))?.is_some() {
            return Err(DerError::BadValue("GeneralSubtree maximum must be absent"));
        }
        st.finish()?;
        if let GeneralName::Ip(b) = &base
            && b.len() != 8
            && b.len() != 32
        {
            return Err(DerError::BadValue(
                "iPAddress constraint must be address and mask",
            ));
        }
        if let GeneralName::Ip(b) = &base
            && !valid_mask(&b[b.len() / 2..])
        {
            return Err(DerError::BadValue(
                "iPAddress constraint mask is not contiguous",
            ));
        }
        out.push(GeneralSubtree { base });
    }
    if out.is_empty() {
        return Err(DerError::BadValue("empty GeneralSubtrees"));
    }
    Ok(out)
}

fn valid_mask(mask: &[u8]) -> bool {
    let mut seen_zero = false;
    for b in mask {
        for i in (0..8).rev() {
            let bit = (b >> i) & 1 == 1;
            if bit && seen_zero {
                return false;
            }
            if !bit {
                seen_zero = true;
            }
        }
    }
    true
}

/// The names of a certificate subject to name constraints (RFC 5280 §6.1.3 (b), (c)).
pub struct ConstrainedNames<'a> {
    /// The subject DN (skipped when empty).
    pub subject: &'a Name,
    /// subjectAltName entries.
    pub san: &'a [GeneralName],
}

/// The outcome of checking one name against the constraints in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameCheck {
    /// Every name is permitted and none excluded.
    Ok,
    /// The name is outside the permitted subtrees.
    NotPermitted(String),
    /// The name is inside an excluded subtree.
    Excluded(String),
    /// The constraint or name is malformed in a way that cannot be decided; fail closed.
    Unsupported(String),
    /// Checking would take more comparisons than the budget allows.
    BudgetExceeded,
}

/// Checks one certificate's names against the permitted and excluded subtrees accumulated
/// from the certificates above it (RFC 5280 §6.1.3 (b) and (c)). Each call costs at most
/// `names × subtrees` comparisons; `budget` is decremented by that and checked by the caller.
pub fn check_names(
    names: &ConstrainedNames<'_>,
    permitted: &[Vec<GeneralSubtree>],
    excluded: &[GeneralSubtree],
    strict: bool,
    budget: &mut u64,
) -> NameCheck {
    // The names under constraint, borrowed (nothing is copied per comparison).
    let mut candidates: Vec<Cand<'_>> = Vec::with_capacity(names.san.len() + 2);
    if !names.subject.is_empty() {
        candidates.push(Cand::Dir(names.subject));
        // RFC 5280 §4.2.1.10: email addresses in the subject's emailAddress attribute are
        // subject to rfc822Name constraints too.
        for a in names.subject.attributes(oid::AT_EMAIL_ADDRESS) {
            if let Ok(s) = std::str::from_utf8(&a.value) {
                candidates.push(Cand::Email(s));
            }
        }
    }
    for n in names.san {
        candidates.push(match n {
            GeneralName::Dns(d) => Cand::Dns(d, valid_dns(d, true)),
            GeneralName::Rfc822(e) => Cand::Email(e),
            // RFC 5280 §4.2.1.10: directoryName constraints apply to the subject and to
            // directoryNames in subjectAltName alike.
            GeneralName::Directory(d) => Cand::Dir(d),
            other => Cand::Other(other),
        });
    }
    // The whole cost is known before any work: refuse at once what would exceed the budget
    // (the quadratic blow-up of many names against many subtrees).
    let subtrees: usize = permitted.iter().map(Vec::len).sum::<usize>() + excluded.len();
    let cost = (candidates.len() as u64).saturating_mul(subtrees as u64);
    if cost > *budget {
        *budget = 0;
        return NameCheck::BudgetExceeded;
    }
    *budget -= cost;

    for name in &candidates {
        for set in permitted {
            // Only subtrees of the same type constrain this name.
            let mut same_type = false;
            let mut matched = false;
            for st in set {
                match matches(name, &st.base, strict, false) {
                    Match::NotApplicable => {}
                    Match::Yes => {
                        same_type = true;
                        matched = true;
                        break;
                    }
                    Match::No => same_type = true,
                    Match::Malformed(why) => return NameCheck::Unsupported(why),
                }
            }
            if same_type && !matched {
                return NameCheck::NotPermitted(name.display());
            }
        }
        for st in excluded {
            match matches(name, &st.base, strict, true) {
                Match::Yes => return NameCheck::Excluded(name.display()),
                Match::Malformed(why) => return NameCheck::Unsupported(why),
                _ => {}
            }
        }
    }
    NameCheck::Ok
}

/// A name under constraint, borrowed from the certificate.
enum Cand<'a> {
    Dir(&'a Name),
    Email(&'a str),
    /// A dNSName and whether it is syntactically valid (checked once).
    Dns(&'a str, bool),
    Other(&'a GeneralName),
}

impl Cand<'_> {
    fn display(&self) -> String {
        match self {
            Cand::Dir(n) => format!("DirName:{}", n.display()),
            Cand::Email(e) => format!("email:{e}"),
            Cand::Dns(d, _) => format!("DNS:{d}"),
            Cand::Other(g) => g.display(),
        }
    }
}

enum Match {
    NotApplicable,
    Yes,
    No,
    Malformed(String),
}

fn matches(name: &Cand<'_>, base: &GeneralName, strict: bool, excluding: bool) -> Match {
    use GeneralName as G;
    let r = match (name, base) {
        (Cand::Dns(..), G::Dns(b)) if strict && b.starts_with('.') => {
            return Match::Malformed(format!("dNSName constraint {b:?} has a leading period"));
        }
        (Cand::Dns(n, false), G::Dns(_)) => {
            return Match::Malformed(format!("DNS name {n:?} cannot be compared"));
        }
        // A wildcard name stands for every name it could match: it is excluded when any of
        // them is (RFC 9525 wildcards under RFC 5280 constraints; CVE-2025-61727).
        (Cand::Dns(n, true), G::Dns(b))
            if excluding && n.starts_with("*.") && wildcard_reaches(n, b) =>
        {
            true
        }
        (Cand::Dns(n, true), G::Dns(b)) => match dns_in_subtree(n, b) {
            Some(v) => v,
            None => {
                return Match::Malformed(format!("dNSName constraint {b:?} cannot be compared"));
            }
        },
        (Cand::Email(n), G::Rfc822(_)) if !valid_email(n) => {
            return Match::Malformed(format!("email address {n:?} is not a mailbox"));
        }
        (Cand::Email(n), G::Rfc822(b)) => match email_in_subtree(n, b) {
            Some(v) => v,
            None => return Match::Malformed(format!("email address {n:?} cannot be compared")),
        },
        (Cand::Dir(n), G::Directory(b)) => n.within(b),
        (Cand::Other(G::Uri(n)), G::Uri(b)) => match uri_host(n) {
            Some(host) => host_in_uri_subtree(&host, b),
            None => return Match::Malformed(format!("URI {n:?} has no host to constrain")),
        },
        (Cand::Other(G::Ip(n)), G::Ip(_)) if n.len() != 4 && n.len() != 16 => {
            return Match::Malformed(format!(
                "iPAddress of {} octets cannot be compared",
                n.len()
            ));
        }
        (Cand::Other(G::Ip(n)), G::Ip(b)) => ip_in_subtree(n, b),
        (Cand::Other(G::RegisteredId(_)), G::RegisteredId(_))
        | (Cand::Other(G::Other(_)), G::Other(_)) => {
            // RFC 5280 leaves these forms' matching undefined: refuse rather than guess.
            return Match::Malformed("name constraint of a form that cannot be evaluated".into());
        }
        _ => return Match::NotApplicable,
    };
    if r { Match::Yes } else { Match::No }
}

/// Whether `s` ends with `suffix`, ASCII case-insensitively, at a label boundary (or equals
/// it when `allow_equal`).
fn ends_with_label(s: &str, suffix: &str, allow_equal: bool) -> bool {
    let (s, suffix) = (s.as_bytes(), suffix.as_bytes());
    if s.len() == suffix.len() {
        return allow_equal && s.eq_ignore_ascii_case(suffix);
    }
    s.len() > suffix.len()
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        && s[s.len() - suffix.len() - 1] == b'.'
}

/// Whether the (valid) DNS name `name` is within the dNSName constraint `base`; `None` when
/// the constraint is not a DNS name.
fn dns_in_subtree(name: &str, base: &str) -> Option<bool> {
    if base.is_empty() {
        return Some(true);
    }
    // A leading dot in a constraint is tolerated outside the Web PKI profile: ".example.com"
    // then means the subdomains only.
    let (b, subdomains_only) = match base.strip_prefix('.') {
        Some(b) => (b, true),
        None => (base, false),
    };
    if !valid_dns(b, false) {
        return None;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let b = b.strip_suffix('.').unwrap_or(b);
    Some(ends_with_label(name, b, !subdomains_only))
}

/// Whether some name matched by the wildcard `*.suffix` lies in the subtree `base`.
fn wildcard_reaches(wildcard: &str, base: &str) -> bool {
    let suffix = wildcard[2..].to_ascii_lowercase();
    let base = base.to_ascii_lowercase();
    let base = base.strip_prefix('.').unwrap_or(&base);
    // One label replaces the '*': the base is exactly one label above the suffix.
    match base.split_once('.') {
        Some((label, rest)) => !label.is_empty() && rest == suffix,
        None => false,
    }
}

/// Whether `s` is a syntactically valid DNS name (LDH labels); `allow_wildcard` admits a
/// leading `*.` label.
pub fn valid_dns(s: &str, allow_wildcard: bool) -> bool {
    let s = if allow_wildcard {
        s.strip_prefix("*.").unwrap_or(s)
    } else {
        s
    };
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    s.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            && !l.starts_with('-')
            && !l.ends_with('-')
    })
}

/// Whether `s` is a plausible RFC 5322 addr-spec: one `@`, a non-empty local part without
/// spaces, and a valid domain.
pub fn valid_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, host)) => {
            !local.is_empty()
                && !local.contains('@')
                && !local.contains(char::is_whitespace)
                && valid_dns(host, false)
        }
        None => false,
    }
}

fn email_in_subtree(name: &str, base: &str) -> Option<bool> {
    let (local, host) = name.rsplit_once('@')?;
    // A fully qualified host ("example.com.") is the same host.
    let host = host.strip_suffix('.').unwrap_or(host);
    let base = base.strip_suffix('.').unwrap_or(base);
    if local.is_empty() || host.is_empty() {
        return None;
    }
    let host = host.to_ascii_lowercase();
    if let Some((blocal, bhost)) = base.rsplit_once('@') {
        // A particular mailbox: local part case-sensitive, host case-insensitive.
        return Some(blocal == local && bhost.eq_ignore_ascii_case(&host));
    }
    let base = base.to_ascii_lowercase();
    if let Some(domain) = base.strip_prefix('.') {
        // Any mailbox in a subdomain of the domain.
        return Some(host.len() > domain.len() && host.ends_with(&format!(".{domain}")));
    }
    // All mailboxes on that host.
    Some(host == base)
}

fn uri_host(uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    // Parsers disagree on '\' in an authority (WHATWG treats it as '/'): refuse to guess.
    if authority.contains('\\') {
        return None;
    }
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        return Some(format!("[{}", v6.split(']').next()?));
    } else {
        hostport.split(':').next()?
    };
    if host.is_empty() {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

fn host_in_uri_subtree(host: &str, base: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let base = base.strip_suffix('.').unwrap_or(base).to_ascii_lowercase();
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        // RFC 5280: URI constraints are host names; an IP literal never matches one.
        return false;
    }
    if let Some(domain) = base.strip_prefix('.') {
        return host.len() > domain.len() && host.ends_with(&format!(".{domain}"));
    }
    host == base
}

fn ip_in_subtree(addr: &[u8], constraint: &[u8]) -> bool {
    let half = constraint.len() / 2;
    if addr.len() != half {
        return false;
    }
    let (net, mask) = constraint.split_at(half);
    addr.iter()
        .zip(net)
        .zip(mask)
        .all(|((a, n), m)| a & m == n & m)
}

/// What the caller expects the server to be (RFC 6125 reference identifier).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerName {
    /// A DNS host name.
    Dns(String),
    /// An IP address.
    Ip(IpAddr),
}

/// Whether the certificate's subjectAltName presents `expected` (RFC 6125 §6, with the
/// Web PKI's rules: the common name is not consulted; a wildcard stands for exactly one
/// left-most label).
pub fn server_name_matches(san: Option<&[GeneralName]>, expected: &ServerName) -> bool {
    let Some(san) = san else { return false };
    match expected {
        ServerName::Dns(host) => {
            let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
            san.iter().any(|n| match n {
                GeneralName::Dns(pattern) => dns_presented_matches(pattern, &host),
                _ => false,
            })
        }
        ServerName::Ip(ip) => {
            let want: Vec<u8> = match ip {
                IpAddr::V4(v4) => v4.octets().to_vec(),
                IpAddr::V6(v6) => v6.octets().to_vec(),
            };
            san.iter()
                .any(|n| matches!(n, GeneralName::Ip(b) if *b == want))
        }
    }
}

fn dns_presented_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern
        .strip_suffix('.')
        .unwrap_or(pattern)
        .to_ascii_lowercase();
    if !valid_dns(host, false) {
        return false;
    }
    if let Some(suffix) = pattern.strip_prefix("*.") {
        if !valid_dns(suffix, false) || suffix.split('.').count() < 2 {
            return false;
        }
        match host.split_once('.') {
            Some((label, rest)) => !label.is_empty() && rest == suffix,
            None => false,
        }
    } else {
        valid_dns(&pattern, false) && pattern == host
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_constraints() {
        assert_eq!(dns_in_subtree("www.example.com", "example.com"), Some(true));
        assert_eq!(dns_in_subtree("example.com", "example.com"), Some(true));
        assert_eq!(dns_in_subtree("badexample.com", "example.com"), Some(false));
        assert_eq!(dns_in_subtree("example.com", ".example.com"), Some(false));
        assert_eq!(dns_in_subtree("a.example.com", ".example.com"), Some(true));
        assert_eq!(dns_in_subtree("WWW.Example.COM", "example.com"), Some(true));
    }

    #[test]
    fn email_constraints() {
        assert_eq!(email_in_subtree("a@example.com", "example.com"), Some(true));
        assert_eq!(
            email_in_subtree("a@x.example.com", "example.com"),
            Some(false)
        );
        assert_eq!(
            email_in_subtree("a@x.example.com", ".example.com"),
            Some(true)
        );
        assert_eq!(
            email_in_subtree("a@example.com", "a@EXAMPLE.com"),
            Some(true)
        );
        assert_eq!(
            email_in_subtree("b@example.com", "a@example.com"),
            Some(false)
        );
    }

    #[test]
    fn uri_constraints() {
        assert_eq!(
            uri_host("https://User@Host.Example.com:8443/p?q#f").as_deref(),
            Some("host.example.com")
        );
        assert!(host_in_uri_subtree("host.example.com", ".example.com"));
        assert!(!host_in_uri_subtree("example.com", ".example.com"));
        assert!(host_in_uri_subtree("example.com", "example.com"));
        assert!(!host_in_uri_subtree("www.example.com", "example.com"));
        assert!(
            !host_in_uri_subtree("192.0.2.1", "192.0.2.1"),
            "IP literals never match host names"
        );
        assert_eq!(uri_host("urn:isbn:123"), None);
        let subject = Name::from_der(&[0x30, 0x00]).unwrap();
        let san = vec![GeneralName::Uri("https://evil.test/".into())];
        let permitted = vec![vec![GeneralSubtree {
            base: GeneralName::Uri(".example.com".into()),
        }]];
        let mut budget = 100;
        let names = ConstrainedNames {
            subject: &subject,
            san: &san,
        };
        assert!(matches!(
            check_names(&names, &permitted, &[], false, &mut budget),
            NameCheck::NotPermitted(_)
        ));
        let excluded = vec![GeneralSubtree {
            base: GeneralName::Uri("evil.test".into()),
        }];
        assert!(matches!(
            check_names(&names, &[], &excluded, false, &mut budget),
            NameCheck::Excluded(_)
        ));
        let urn = vec![GeneralName::Uri("urn:isbn:123".into())];
        let names = ConstrainedNames {
            subject: &subject,
            san: &urn,
        };
        assert!(matches!(
            check_names(&names, &permitted, &[], false, &mut budget),
            NameCheck::Unsupported(_)
        ));
    }

    fn dn(rdns: &[&[(&[u8], &str)]]) -> Name {
        let mut seq = Vec::new();
        for rdn in rdns {
            let mut set = Vec::new();
            for (oid, value) in *rdn {
                let mut atv = Vec::new();
                crate::algorithms::der_write(tag::OID, oid, &mut atv);
                crate::algorithms::der_write(tag::UTF8_STRING, value.as_bytes(), &mut atv);
                crate::algorithms::der_write(tag::SEQUENCE, &atv, &mut set);
            }
            crate::algorithms::der_write(tag::SET, &set, &mut seq);
        }
        let mut full = Vec::new();
        crate::algorithms::der_write(tag::SEQUENCE, &seq, &mut full);
        Name::from_der(&full).unwrap()
    }

    #[test]
    fn directory_subtrees() {
        const C: &[u8] = &[0x55, 0x04, 0x06];
        const O: &[u8] = &[0x55, 0x04, 0x0a];
        const CN: &[u8] = &[0x55, 0x04, 0x03];
        let base = dn(&[&[(C, "US")], &[(O, "Example")]]);
        assert!(dn(&[&[(C, "us")], &[(O, "  example ")], &[(CN, "x")]]).within(&base));
        assert!(dn(&[&[(C, "US")], &[(O, "Example")]]).within(&base));
        assert!(
            !dn(&[&[(C, "US")], &[(O, "Example"), (CN, "x")]]).within(&base),
            "a longer RDN is another RDN"
        );
        assert!(!dn(&[&[(C, "US")], &[(O, "Examples")]]).within(&base));
        assert!(!dn(&[&[(C, "US")]]).within(&base));
        // A directoryName in subjectAltName is constrained too.
        let subject = dn(&[&[(C, "US")], &[(O, "Example")], &[(CN, "me")]]);
        let san = vec![GeneralName::Directory(dn(&[
            &[(C, "US")],
            &[(O, "Victim")],
        ]))];
        let names = ConstrainedNames {
            subject: &subject,
            san: &san,
        };
        let excluded = vec![GeneralSubtree {
            base: GeneralName::Directory(dn(&[&[(C, "US")], &[(O, "Victim")]])),
        }];
        let mut budget = 100;
        assert!(matches!(
            check_names(&names, &[], &excluded, false, &mut budget),
            NameCheck::Excluded(_)
        ));
    }

    #[test]
    fn trailing_dots_and_odd_forms_do_not_escape() {
        assert_eq!(email_in_subtree("a@evil.test.", "evil.test"), Some(true));
        assert_eq!(email_in_subtree("a@x.evil.test.", ".evil.test"), Some(true));
        assert!(host_in_uri_subtree("evil.test.", "evil.test"));
        assert_eq!(uri_host("https://evil.test\\@good.example.com/"), None);
        let subject = Name::from_der(&[0x30, 0x00]).unwrap();
        let san = vec![GeneralName::Ip(vec![10, 0, 0])];
        let names = ConstrainedNames {
            subject: &subject,
            san: &san,
        };
        let excluded = vec![GeneralSubtree {
            base: GeneralName::Ip(vec![10, 0, 0, 0, 255, 0, 0, 0]),
        }];
        let mut budget = 100;
        assert!(matches!(
            check_names(&names, &[], &excluded, false, &mut budget),
            NameCheck::Unsupported(_)
        ));
    }

    #[test]
    fn budget_is_priced_before_work() {
        let subject = Name::from_der(&[0x30, 0x00]).unwrap();
        let san: Vec<GeneralName> = (0..100)
            .map(|i| GeneralName::Dns(format!("h{i}.example.com")))
            .collect();
        let permitted = vec![
            (0..100)
                .map(|i| GeneralSubtree {
                    base: GeneralName::Dns(format!("d{i}.test")),
                })
                .collect(),
        ];
        let names = ConstrainedNames {
            subject: &subject,
            san: &san,
        };
        let mut budget = 9_999;
        assert_eq!(
            check_names(&names, &permitted, &[], false, &mut budget),
            NameCheck::BudgetExceeded
        );
        assert_eq!(budget, 0);
    }

    #[test]
    fn ip_constraints() {
        assert!(ip_in_subtree(
            &[192, 0, 2, 7],
            &[192, 0, 2, 0, 255, 255, 255, 0]
        ));
        assert!(!ip_in_subtree(
            &[198, 51, 100, 1],
            &[192, 0, 2, 0, 255, 255, 255, 0]
        ));
        assert!(valid_mask(&[255, 255, 255, 0]));
        assert!(!valid_mask(&[255, 0, 255, 0]));
    }

    #[test]
    fn server_names() {
        let san = vec![GeneralName::Dns("*.example.test".into())];
        assert!(server_name_matches(
            Some(&san),
            &ServerName::Dns("a.example.test".into())
        ));
        assert!(!server_name_matches(
            Some(&san),
            &ServerName::Dns("a.b.example.test".into())
        ));
        assert!(!server_name_matches(
            Some(&san),
            &ServerName::Dns("example.test".into())
        ));
        let bad = vec![GeneralName::Dns("*.test".into())];
        assert!(!server_name_matches(
            Some(&bad),
            &ServerName::Dns("a.test".into())
        ));
    }
}
