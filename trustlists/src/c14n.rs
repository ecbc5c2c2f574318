//! XML canonicalisation on the parsed tree: Exclusive XML Canonicalization 1.0
//! (<http://www.w3.org/2001/10/xml-exc-c14n#>) and Canonical XML 1.0
//! (<http://www.w3.org/TR/2001/REC-xml-c14n-20010315>), with or without comments.
//!
//! The node set is always an element's subtree (the document element for the enveloped
//! reference, `SignedProperties`, `SignedInfo`), minus at most one excluded subtree (the
//! enveloped signature), optionally with the document's top-level processing instructions
//! (and comments, when kept) when the whole document is referenced. Line ends and attribute
//! values arrive normalised by the parser (XML 1.0 §2.11, §3.3.3), as C14N requires.

use crate::error::Error;
use crate::xml::{element_qname, ns};
use roxmltree::{Node, NodeId, NodeType};

/// Canonicalisation algorithm URIs.
pub mod alg {
    /// Exclusive C14N 1.0, without comments.
    pub const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
    /// Exclusive C14N 1.0, with comments.
    pub const EXC_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
    /// Canonical XML 1.0, without comments.
    pub const INCL: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    /// Canonical XML 1.0, with comments.
    pub const INCL_WITH_COMMENTS: &str =
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
}

/// A canonicalisation method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// Exclusive C14N: a namespace declaration is output where it is visibly used, plus the
    /// prefixes of the `InclusiveNamespaces PrefixList` (`"#default"` written as `""`).
    Exclusive {
        /// Keep comments.
        comments: bool,
        /// Prefixes treated as in inclusive C14N.
        inclusive_prefixes: Vec<String>,
    },
    /// Canonical XML 1.0: every namespace in scope is output where it changes.
    Inclusive {
        /// Keep comments.
        comments: bool,
    },
}

impl Method {
    /// The method for an algorithm URI, or `None` if it is not a canonicalisation this crate
    /// implements.
    pub fn from_uri(uri: &str, inclusive_prefixes: Vec<String>) -> Option<Self> {
        Some(match uri {
            alg::EXC => Method::Exclusive {
                comments: false,
                inclusive_prefixes,
            },
            alg::EXC_WITH_COMMENTS => Method::Exclusive {
                comments: true,
                inclusive_prefixes,
            },
            alg::INCL => Method::Inclusive { comments: false },
            alg::INCL_WITH_COMMENTS => Method::Inclusive { comments: true },
            _ => return None,
        })
    }

    fn comments(&self) -> bool {
        match self {
            Method::Exclusive { comments, .. } | Method::Inclusive { comments } => *comments,
        }
    }
}

/// What to canonicalise.
#[derive(Clone, Copy, Debug)]
pub struct NodeSet<'a, 'i> {
    /// The element whose subtree is canonicalised.
    pub apex: Node<'a, 'i>,
    /// A subtree left out (the enveloped-signature transform).
    pub exclude: Option<NodeId>,
    /// Whether the whole document was referenced (`URI=""`): processing instructions (and,
    /// with comments, comments) outside the document element are then part of the set.
    pub whole_document: bool,
}

/// Canonicalises `set` with `method`, appending the octets to `out`.
pub fn canonicalize(set: NodeSet<'_, '_>, method: &Method, out: &mut Vec<u8>) -> Result<(), Error> {
    let mut c = Canon {
        method,
        out,
        rendered: Vec::new(),
        exclude: set.exclude,
    };
    if set.whole_document {
        let root = set.apex.document().root();
        let mut before = true;
        for n in root.children() {
            match n.node_type() {
                NodeType::Element => {
                    c.element(n, true);
                    before = false;
                }
                NodeType::PI | NodeType::Comment => {
                    if n.is_comment() && !method.comments() {
                        continue;
                    }
                    if !before {
                        c.out.push(b'\n');
                    }
                    c.leaf(n);
                    if before {
                        c.out.push(b'\n');
                    }
                }
                _ => {}
            }
        }
    } else {
        c.element(set.apex, true);
    }
    Ok(())
}

struct Canon<'m, 'o, 'a> {
    method: &'m Method,
    out: &'o mut Vec<u8>,
    /// Namespace declarations rendered by output ancestors: (prefix, uri), innermost last.
    rendered: Vec<(&'a str, &'a str)>,
    exclude: Option<NodeId>,
}

impl<'a> Canon<'_, '_, 'a> {
    fn rendered_uri(&self, prefix: &str) -> &'a str {
        self.rendered
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map(|(_, u)| *u)
            .unwrap_or("")
    }

    fn leaf(&mut self, n: Node<'a, '_>) {
        match n.node_type() {
            NodeType::Text => escape_text(n.text().unwrap_or(""), self.out),
            NodeType::Comment if self.method.comments() => {
                self.out.extend_from_slice(b"<!--");
                self.out
                    .extend_from_slice(n.text().unwrap_or("").as_bytes());
                self.out.extend_from_slice(b"-->");
            }
            NodeType::PI => {
                if let Some(pi) = n.pi() {
                    self.out.extend_from_slice(b"<?");
                    self.out.extend_from_slice(pi.target.as_bytes());
                    if let Some(v) = pi.value
                        && !v.is_empty()
                    {
                        self.out.push(b' ');
                        self.out.extend_from_slice(v.as_bytes());
                    }
                    self.out.extend_from_slice(b"?>");
                }
            }
            _ => {}
        }
    }

    fn element(&mut self, n: Node<'a, 'a>, apex: bool) {
        if Some(n.id()) == self.exclude {
            return;
        }
        let qname = element_qname(n);
        let prefix = qname.split_once(':').map(|(p, _)| p).unwrap_or("");

        // Namespace declarations to output here.
        let mut decls: Vec<(&'a str, &'a str)> = Vec::new();
        let in_scope = |p: &str| -> Option<&'a str> {
            n.namespaces()
                .find(|ns| ns.name().unwrap_or("") == p)
                .map(|ns| ns.uri())
        };
        match self.method {
            Method::Exclusive {
                inclusive_prefixes, ..
            } => {
                let mut used: Vec<&str> = vec![prefix];
                for a in n.attributes() {
                    let q = &n.document().input_text()[a.range_qname()];
                    if let Some((p, _)) = q.split_once(':')
                        && p != "xml"
                        && p != "xmlns"
                    {
                        used.push(p);
                    }
                }
                for p in inclusive_prefixes {
                    let p = if p == "#default" { "" } else { p.as_str() };
                    if in_scope(p).is_some() {
                        used.push(p);
                    }
                }
                used.sort_unstable();
                used.dedup();
                for p in used {
                    let uri = in_scope(p).unwrap_or("");
                    if self.rendered_uri(p) != uri {
                        // Find the same &'a str in the tree (for lifetimes) or the empty default.
                        let (pp, uu) = n
                            .namespaces()
                            .find(|ns| ns.name().unwrap_or("") == p)
                            .map(|ns| (ns.name().unwrap_or(""), ns.uri()))
                            .unwrap_or(("", ""));
                        decls.push((pp, uu));
                    }
                }
            }
            Method::Inclusive { .. } => {
                let mut has_default = false;
                for ns_ in n.namespaces() {
                    let p = ns_.name().unwrap_or("");
                    if p == "xml" {
                        continue;
                    }
                    if p.is_empty() {
                        has_default = true;
                    }
                    if self.rendered_uri(p) != ns_.uri() {
                        decls.push((p, ns_.uri()));
                    }
                }
                if !has_default && !self.rendered_uri("").is_empty() {
                    decls.push(("", ""));
                }
                decls.sort_unstable_by(|a, b| a.0.cmp(b.0));
            }
        }

        // Attributes, sorted by namespace URI then local name (unqualified first).
        let input = n.document().input_text();
        let mut attrs: Vec<(&str, &str, &str, &str)> = n
            .attributes()
            .map(|a| {
                (
                    a.namespace().unwrap_or(""),
                    a.name(),
                    &input[a.range_qname()],
                    a.value(),
                )
            })
            .collect();
        // Canonical XML 1.0: xml:* attributes of ancestors outside the node set are inherited
        // by the apex.
        if apex && matches!(self.method, Method::Inclusive { .. }) {
            for anc in n.ancestors().skip(1).filter(Node::is_element) {
                for a in anc.attributes() {
                    if a.namespace() == Some(ns::XML)
                        && !attrs.iter().any(|x| x.0 == ns::XML && x.1 == a.name())
                    {
                        attrs.push((ns::XML, a.name(), &input[a.range_qname()], a.value()));
                    }
                }
            }
        }
        attrs.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));

        self.out.push(b'<');
        self.out.extend_from_slice(qname.as_bytes());
        for (p, uri) in &decls {
            if p.is_empty() {
                self.out.extend_from_slice(b" xmlns=\"");
            } else {
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(p.as_bytes());
                self.out.extend_from_slice(b"=\"");
            }
            escape_attr(uri, self.out);
            self.out.push(b'"');
        }
        for (_, _, q, v) in &attrs {
            self.out.push(b' ');
            self.out.extend_from_slice(q.as_bytes());
            self.out.extend_from_slice(b"=\"");
            escape_attr(v, self.out);
            self.out.push(b'"');
        }
        self.out.push(b'>');

        let mark = self.rendered.len();
        self.rendered.extend(decls);
        for c in n.children() {
            if c.is_element() {
                self.element(c, false);
            } else {
                self.leaf(c);
            }
        }
        self.rendered.truncate(mark);

        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(qname.as_bytes());
        self.out.push(b'>');
    }
}

fn escape_text(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

fn escape_attr(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\t' => out.extend_from_slice(b"&#x9;"),
            b'\n' => out.extend_from_slice(b"&#xA;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(xml: &str, method: Method) -> String {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut out = Vec::new();
        canonicalize(
            NodeSet {
                apex: doc.root_element(),
                exclude: None,
                whole_document: false,
            },
            &method,
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn exc() -> Method {
        Method::Exclusive {
            comments: false,
            inclusive_prefixes: vec![],
        }
    }

    #[test]
    fn exclusive_drops_unused_namespaces_and_sorts_attributes() {
        let xml =
            "<a:e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" z=\"1\" b:y=\"2\" a=\"3\"><f/><b:g/></a:e>";
        assert_eq!(
            c14n(xml, exc()),
            "<a:e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" a=\"3\" z=\"1\" b:y=\"2\"><f></f><b:g></b:g></a:e>"
        );
        let xml = "<a:e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><b:g/></a:e>";
        assert_eq!(
            c14n(xml, exc()),
            "<a:e xmlns:a=\"urn:a\"><b:g xmlns:b=\"urn:b\"></b:g></a:e>"
        );
    }

    #[test]
    fn inclusive_keeps_namespaces_in_scope() {
        let xml = "<a:e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><b:g xmlns:b=\"urn:b\"/></a:e>";
        assert_eq!(
            c14n(xml, Method::Inclusive { comments: false }),
            "<a:e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><b:g></b:g></a:e>"
        );
    }

    #[test]
    fn default_namespace_undeclared_where_needed() {
        let xml = "<e xmlns=\"urn:x\"><f xmlns=\"\"/></e>";
        assert_eq!(
            c14n(xml, exc()),
            "<e xmlns=\"urn:x\"><f xmlns=\"\"></f></e>"
        );
        assert_eq!(
            c14n(xml, Method::Inclusive { comments: false }),
            "<e xmlns=\"urn:x\"><f xmlns=\"\"></f></e>"
        );
    }

    #[test]
    fn text_and_attribute_escaping_and_line_ends() {
        let xml = "<e a=\"x&#xD;&#9;y\n z\">1 &lt; 2 &amp; 3 > 2\r\nnext&#xD;</e>";
        assert_eq!(
            c14n(xml, exc()),
            "<e a=\"x&#xD;&#x9;y  z\">1 &lt; 2 &amp; 3 &gt; 2\nnext&#xD;</e>"
        );
    }

    #[test]
    fn comments_follow_the_method() {
        let xml = "<e><!--c--><?p d?></e>";
        assert_eq!(c14n(xml, exc()), "<e><?p d?></e>");
        assert_eq!(
            c14n(
                xml,
                Method::Exclusive {
                    comments: true,
                    inclusive_prefixes: vec![]
                }
            ),
            "<e><!--c--><?p d?></e>"
        );
    }

    #[test]
    fn inclusive_prefix_list() {
        let xml = "<a:e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><f/></a:e>";
        let m = Method::Exclusive {
            comments: false,
            inclusive_prefixes: vec!["b".into()],
        };
        assert_eq!(
            c14n(xml, m),
            "<a:e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><f></f></a:e>"
        );
    }

    #[test]
    fn cdata_becomes_text() {
        let xml = "<e><![CDATA[<x> & y]]></e>";
        assert_eq!(c14n(xml, exc()), "<e>&lt;x&gt; &amp; y</e>");
    }
}
