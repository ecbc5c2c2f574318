//! Hardened XML parsing for untrusted lists: UTF-8 only, no DTD, limits on size, nodes and
//! depth, duplicate `Id` values refused, and locations (line, column, element path) for
//! every error.
//!
//! The tree is [`roxmltree`]'s: a read-only DOM that resolves namespaces, normalises line
//! ends and attribute values as XML 1.0 §2.11 and §3.3.3 require (what C14N expects), keeps
//! byte ranges, and refuses DTDs. Verification and reading both work on this one tree, so the
//! content read is the content whose signature was checked.

use crate::error::{Error, Location};
use roxmltree::{Document, Node, NodeId};
use std::collections::HashMap;

/// Namespace URIs (matched by URI and local name, never by prefix).
pub mod ns {
    /// ETSI TS 119 612 (the list).
    pub const TSL: &str = "http://uri.etsi.org/02231/v2#";
    /// ETSI TS 119 612 additional types (MimeType, TakenOverBy, ExtendedKeyUsage).
    pub const TSLX: &str = "http://uri.etsi.org/02231/v2/additionaltypes#";
    /// XMLDSig.
    pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    /// XAdES 1.3.2.
    pub const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
    /// The EU qualifications extension (ETSI TS 119 612 §5.5.9.2).
    pub const ECC: &str = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#";
    /// This project's extensions for MIIT's list (licences, approvals, restrictions).
    pub const HUREN: &str = "urn:huren:tsl:miit:1";
    /// The `xml:` prefix namespace.
    pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
}

/// Limits on untrusted XML. The defaults admit the largest genuine lists (the Czech list is
/// 2.6 MB with about 550 services) with room to spare and bound the cost of a hostile one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest document, in bytes.
    pub max_bytes: usize,
    /// Most nodes (elements, text, comments, attributes counted by the parser).
    pub max_nodes: u32,
    /// Deepest element nesting (a genuine list nests about 12 deep).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 << 20,
            max_nodes: 4_000_000,
            max_depth: 64,
        }
    }
}

/// Strips a UTF-8 byte-order mark and checks the text is UTF-8, as declared.
pub(crate) fn text<'a>(bytes: &'a [u8], limits: &Limits) -> Result<&'a str, Error> {
    if bytes.len() > limits.max_bytes {
        return Err(Error::Limit {
            what: "bytes",
            limit: limits.max_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\xFF\xFE") {
        return Err(Error::Xml {
            at: Location {
                line: 1,
                column: 1,
                path: String::new(),
            },
            message: "UTF-16 documents are not accepted; trust lists are UTF-8".into(),
        });
    }
    let s = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let column = good.iter().rev().take_while(|b| **b != b'\n').count() as u32 + 1;
        Error::Xml {
            at: Location {
                line,
                column,
                path: String::new(),
            },
            message: "invalid UTF-8".into(),
        }
    })?;
    if let Some(decl) = s.strip_prefix("<?xml")
        && let Some(end) = decl.find("?>")
        && let Some(enc) = pseudo_attribute(&decl[..end], "encoding")
        && !enc.eq_ignore_ascii_case("utf-8")
    {
        return Err(Error::Xml {
            at: Location {
                line: 1,
                column: 1,
                path: String::new(),
            },
            message: format!("encoding {enc:?} is not accepted; trust lists are UTF-8"),
        });
    }
    Ok(s)
}

fn pseudo_attribute<'a>(decl: &'a str, name: &str) -> Option<&'a str> {
    let at = decl.find(name)?;
    let rest = decl[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// Parses untrusted XML into a tree, refusing DTDs (even empty ones), entity declarations,
/// and anything past the limits.
pub(crate) fn parse<'a>(s: &'a str, limits: &Limits) -> Result<Document<'a>, Error> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
        ..Default::default()
    };
    let doc = Document::parse_with_options(s, opts).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => Error::Limit {
            what: "XML nodes",
            limit: limits.max_nodes as usize,
        },
        e => {
            let p = e.pos();
            Error::Xml {
                at: Location {
                    line: p.row,
                    column: p.col,
                    path: String::new(),
                },
                message: e.to_string(),
            }
        }
    })?;
    // roxmltree admits an empty `<!DOCTYPE x>`; nothing in a trust list needs one.
    let root_start = doc.root_element().range().start;
    if let Some(at) = s[..root_start].find("<!DOCTYPE") {
        let p = doc.text_pos_at(at);
        return Err(Error::Xml {
            at: Location {
                line: p.row,
                column: p.col,
                path: String::new(),
            },
            message: "a document type declaration (DTD) is not accepted".into(),
        });
    }
    // Depth, without recursion.
    let mut stack = vec![(doc.root_element(), 1usize)];
    while let Some((n, depth)) = stack.pop() {
        if depth > limits.max_depth {
            return Err(Error::Limit {
                what: "levels of element nesting",
                limit: limits.max_depth,
            });
        }
        for c in n.children().filter(Node::is_element) {
            stack.push((c, depth + 1));
        }
    }
    Ok(doc)
}

/// Every element's `Id` attribute (also `ID` and `id`, unqualified), refusing duplicates: a
/// reference `#x` must designate exactly one element, or signature wrapping becomes possible.
pub(crate) fn ids<'a>(doc: &'a Document<'a>) -> Result<HashMap<&'a str, NodeId>, Error> {
    let mut map = HashMap::new();
    for n in doc.descendants().filter(Node::is_element) {
        for a in n.attributes() {
            if a.namespace().is_none()
                && matches!(a.name(), "Id" | "ID" | "id")
                && map.insert(a.value(), n.id()).is_some()
            {
                return Err(Error::signature(
                    Some(location(n)),
                    format!("the Id value {:?} occurs more than once", a.value()),
                ));
            }
        }
    }
    Ok(map)
}

/// The location of a node: line, column and element path.
pub fn location(n: Node<'_, '_>) -> Location {
    let p = n.document().text_pos_at(n.range().start);
    let mut names: Vec<&str> = n
        .ancestors()
        .filter(Node::is_element)
        .map(|a| a.tag_name().name())
        .collect();
    names.reverse();
    Location {
        line: p.row,
        column: p.col,
        path: names.join("/"),
    }
}

/// Whether `n` is the element `{uri}local`.
pub fn is(n: Node<'_, '_>, uri: &str, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && n.tag_name().namespace() == Some(uri)
}

/// The element children of `n` named `{uri}local`.
pub fn children<'a, 'i: 'a>(
    n: Node<'a, 'i>,
    uri: &'a str,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children().filter(move |c| is(*c, uri, local))
}

/// The only element child of `n` named `{uri}local`: an error if there are several, `None`
/// if there is none.
pub fn optional_child<'a, 'i: 'a>(
    n: Node<'a, 'i>,
    uri: &'a str,
    local: &'a str,
) -> Result<Option<Node<'a, 'i>>, Error> {
    let mut it = children(n, uri, local);
    let first = it.next();
    if let Some(second) = it.next() {
        return Err(Error::format(
            location(second),
            format!("{local} may occur only once here"),
        ));
    }
    Ok(first)
}

/// The one element child of `n` named `{uri}local`: an error if it is missing or repeated.
pub fn child<'a, 'i: 'a>(
    n: Node<'a, 'i>,
    uri: &'a str,
    local: &'a str,
) -> Result<Node<'a, 'i>, Error> {
    optional_child(n, uri, local)?
        .ok_or_else(|| Error::format(location(n), format!("{local} is missing")))
}

/// The text content of an element (its text children concatenated), trimmed of XML
/// whitespace.
pub fn text_of(n: Node<'_, '_>) -> String {
    let mut s = String::new();
    for c in n.children().filter(Node::is_text) {
        s.push_str(c.text().unwrap_or(""));
    }
    s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\r' | '\n'))
        .to_string()
}

/// The qualified name of an element as written (`prefix:local` or `local`), read from the
/// input at the element's start tag.
pub(crate) fn element_qname<'i>(n: Node<'_, 'i>) -> &'i str {
    let input = n.document().input_text();
    let start = n.range().start + 1;
    let rest = &input[start..];
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    &rest[..end]
}
