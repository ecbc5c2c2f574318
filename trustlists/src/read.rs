//! Reading a TS 119 612 list (v5 or v6) from a parsed tree into the [`crate::model`].
//!
//! Elements are matched by namespace URI and local name, never by prefix. What genuine lists
//! do is tolerated: typo'd or newer URIs are kept as `Unknown`, unknown elements are skipped
//! (an unknown *critical* service extension is recorded on the service, TS 119 612 §5.5.9),
//! `<NextUpdate/>` means a closed list, names come in many languages. What the reader
//! cannot make sense of — a missing mandatory element, a date that is not an
//! `xsd:dateTime`, a certificate that is not base64, a malformed MIIT extension — is an
//! [`Error::Format`] that says where (line, column, element path) and what.

use crate::error::Error;
use crate::model::*;
use crate::xml::{self, Limits, child, children, location, ns, optional_child, text_of};
use base64ct::{Base64, Encoding};
use huren_validator::{Oid, parse_rfc3339};
use roxmltree::Node;

/// Most `TSPService` elements a list may have.
pub const MAX_SERVICES: usize = 100_000;
/// Most `ServiceHistoryInstance` elements a list may have, all services together.
pub const MAX_HISTORY_INSTANCES: usize = 100_000;
/// Most `OtherTSLPointer` elements a list may have.
pub const MAX_POINTERS: usize = 1_000;
/// Most `TrustServiceProvider` elements a list may have.
pub const MAX_PROVIDERS: usize = 100_000;

/// Reads **untrusted, unverified** bytes into the model: for showing or comparing a file
/// (`tl show`, `tl diff`). Nothing read this way may be used as a trust anchor: the
/// signature is not checked. To use a list, verify it (the lead's `verify` module), which
/// reads the content from the very tree it verified.
///
/// The bytes go through the same hardened parser as verification (UTF-8 only, no DTD,
/// limits on size, nodes and depth).
pub fn read_unverified(bytes: &[u8], limits: &Limits) -> Result<TrustList, Error> {
    let text = xml::text(bytes, limits)?;
    let doc = xml::parse(text, limits)?;
    read_list(doc.root_element())
}

/// Reads the list whose document element is `root` (`TrustServiceStatusList`). The
/// signature, if any, is ignored here: verification calls this with the root element of the
/// tree whose signature it checked.
pub fn read_list(root: Node<'_, '_>) -> Result<TrustList, Error> {
    if !xml::is(root, ns::TSL, "TrustServiceStatusList") {
        return Err(Error::format(
            location(root),
            format!(
                "the document element is {{{}}}{}, not TS 119 612's TrustServiceStatusList",
                root.tag_name().namespace().unwrap_or(""),
                root.tag_name().name()
            ),
        ));
    }
    let mut counts = Counts::default();
    let si = child(root, ns::TSL, "SchemeInformation")?;
    let version_node = child(si, ns::TSL, "TSLVersionIdentifier")?;
    let version: u32 = number(version_node)?;
    if version != 5 && version != 6 {
        return Err(Error::format(
            location(version_node),
            format!("TSLVersionIdentifier {version} is not supported (5 and 6 are: TS 119 612 v2)"),
        ));
    }
    let sequence: u64 = number(child(si, ns::TSL, "TSLSequenceNumber")?)?;
    let tsl_type = text_of(child(si, ns::TSL, "TSLType")?);
    let operator = names(child(si, ns::TSL, "SchemeOperatorName")?);
    let operator_address = match optional_child(si, ns::TSL, "SchemeOperatorAddress")? {
        Some(a) => address(a)?,
        None => Address::default(),
    };
    let scheme_name = names(child(si, ns::TSL, "SchemeName")?);
    let information_uris = opt_uris(si, ns::TSL, "SchemeInformationURI")?;
    let status_determination = optional_child(si, ns::TSL, "StatusDeterminationApproach")?
        .map(text_of)
        .unwrap_or_default();
    let community_rules = opt_uris(si, ns::TSL, "SchemeTypeCommunityRules")?;
    let scheme_territory = optional_child(si, ns::TSL, "SchemeTerritory")?.map(text_of);
    let policy_or_legal_notice = match optional_child(si, ns::TSL, "PolicyOrLegalNotice")? {
        Some(p) => {
            let policies = multilang(p, ns::TSL, "TSLPolicy");
            Some(if policies.is_empty() {
                PolicyOrLegalNotice::LegalNotice(multilang(p, ns::TSL, "TSLLegalNotice"))
            } else {
                PolicyOrLegalNotice::Policy(policies)
            })
        }
        None => None,
    };
    let historical_period = optional_child(si, ns::TSL, "HistoricalInformationPeriod")?
        .map(number::<u32>)
        .transpose()?;
    let mut pointers = Vec::new();
    if let Some(p) = optional_child(si, ns::TSL, "PointersToOtherTSL")? {
        for ptr in children(p, ns::TSL, "OtherTSLPointer") {
            if pointers.len() >= MAX_POINTERS {
                return Err(Error::Limit {
                    what: "pointers to other lists",
                    limit: MAX_POINTERS,
                });
            }
            pointers.push(pointer(ptr)?);
        }
    }
    let issued = date(child(si, ns::TSL, "ListIssueDateTime")?)?;
    let next_update = match optional_child(child(si, ns::TSL, "NextUpdate")?, ns::TSL, "dateTime")?
    {
        Some(d) => Some(date(d)?),
        None => None,
    };
    let distribution_points = match optional_child(si, ns::TSL, "DistributionPoints")? {
        Some(d) => children(d, ns::TSL, "URI").map(text_of).collect(),
        None => Vec::new(),
    };
    let mut providers = Vec::new();
    if let Some(list) = optional_child(root, ns::TSL, "TrustServiceProviderList")? {
        for p in children(list, ns::TSL, "TrustServiceProvider") {
            if providers.len() >= MAX_PROVIDERS {
                return Err(Error::Limit {
                    what: "trust service providers",
                    limit: MAX_PROVIDERS,
                });
            }
            providers.push(provider(p, &mut counts)?);
        }
    }
    Ok(TrustList {
        id: root.attribute("Id").map(str::to_string),
        version,
        sequence,
        tsl_type,
        operator,
        operator_address,
        scheme_name,
        information_uris,
        status_determination,
        community_rules,
        scheme_territory,
        policy_or_legal_notice,
        historical_period,
        pointers,
        issued,
        next_update,
        distribution_points,
        providers,
    })
}

#[derive(Default)]
struct Counts {
    services: usize,
    history: usize,
}

/// Parses an `xsd:dateTime` as TS 119 612 lists write it (`2026-08-03T13:16:38Z`; fractions
/// and offsets occur; a value without a time zone is taken as UTC, which TS 119 612 §5.1.4
/// requires anyway). `None` when it is not one.
pub fn parse_datetime(s: &str) -> Option<i64> {
    parse_rfc3339(s).or_else(|| {
        // xsd:dateTime without a zone designator.
        let b = s.as_bytes();
        let zoned = b.last().is_some_and(|c| matches!(c, b'Z' | b'z'))
            || (b.len() > 19 && b[19..].iter().any(|c| matches!(c, b'+' | b'-')));
        if zoned {
            None
        } else {
            parse_rfc3339(&format!("{s}Z"))
        }
    })
}

fn date(n: Node<'_, '_>) -> Result<i64, Error> {
    let t = text_of(n);
    parse_datetime(&t).ok_or_else(|| {
        Error::format(
            location(n),
            format!(
                "{}: {:?} is not an xsd:dateTime (like 2026-08-03T13:16:38Z)",
                n.tag_name().name(),
                clip(&t)
            ),
        )
    })
}

fn number<T: std::str::FromStr>(n: Node<'_, '_>) -> Result<T, Error> {
    let t = text_of(n);
    t.parse().map_err(|_| {
        Error::format(
            location(n),
            format!(
                "{}: {:?} is not a number in range",
                n.tag_name().name(),
                clip(&t)
            ),
        )
    })
}

/// At most 80 characters of a value, for messages.
fn clip(s: &str) -> String {
    if s.chars().count() > 80 {
        let mut c: String = s.chars().take(80).collect();
        c.push('…');
        c
    } else {
        s.to_string()
    }
}

fn lang_of(n: Node<'_, '_>) -> String {
    n.attribute((ns::XML, "lang")).unwrap_or("").to_string()
}

/// The `{uri}local` children of `n` as `(xml:lang, text)` pairs.
fn multilang(n: Node<'_, '_>, uri: &str, local: &str) -> MultiLang {
    MultiLang(
        children(n, uri, local)
            .map(|c| (lang_of(c), text_of(c)))
            .collect(),
    )
}

/// `tsl:Name` children (InternationalNamesType).
fn names(n: Node<'_, '_>) -> MultiLang {
    multilang(n, ns::TSL, "Name")
}

/// The `tsl:URI` children of the optional `{uri}local` child of `n`.
fn opt_uris(n: Node<'_, '_>, uri: &str, local: &str) -> Result<MultiLang, Error> {
    Ok(optional_child(n, uri, local)?
        .map(|c| multilang(c, ns::TSL, "URI"))
        .unwrap_or_default())
}

fn address(n: Node<'_, '_>) -> Result<Address, Error> {
    let mut postal = Vec::new();
    if let Some(pa) = optional_child(n, ns::TSL, "PostalAddresses")? {
        for p in children(pa, ns::TSL, "PostalAddress") {
            let opt = |local: &str| -> Result<Option<String>, Error> {
                Ok(optional_child(p, ns::TSL, local)?.map(text_of))
            };
            postal.push(PostalAddress {
                lang: lang_of(p),
                street: opt("StreetAddress")?.unwrap_or_default(),
                locality: opt("Locality")?.unwrap_or_default(),
                state: opt("StateOrProvince")?,
                postal_code: opt("PostalCode")?,
                country: opt("CountryName")?.unwrap_or_default(),
            });
        }
    }
    Ok(Address {
        postal,
        electronic: opt_uris(n, ns::TSL, "ElectronicAddress")?,
    })
}

fn base64(n: Node<'_, '_>) -> Result<Vec<u8>, Error> {
    let mut t = String::new();
    for c in n.children().filter(Node::is_text) {
        t.extend(
            c.text()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_ascii_whitespace()),
        );
    }
    Base64::decode_vec(&t).map_err(|_| {
        Error::format(
            location(n),
            format!("{} is not valid base64", n.tag_name().name()),
        )
    })
}

fn pointer(n: Node<'_, '_>) -> Result<Pointer, Error> {
    let mut p = Pointer {
        location: text_of(child(n, ns::TSL, "TSLLocation")?),
        ..Pointer::default()
    };
    if let Some(ids) = optional_child(n, ns::TSL, "ServiceDigitalIdentities")? {
        for sdi in children(ids, ns::TSL, "ServiceDigitalIdentity") {
            for did in children(sdi, ns::TSL, "DigitalId") {
                for cert in children(did, ns::TSL, "X509Certificate") {
                    p.signers.push(base64(cert)?);
                }
            }
        }
    }
    if let Some(ai) = optional_child(n, ns::TSL, "AdditionalInformation")? {
        for oi in children(ai, ns::TSL, "OtherInformation") {
            for c in oi.children().filter(Node::is_element) {
                if xml::is(c, ns::TSL, "TSLType") {
                    p.tsl_type = Some(text_of(c));
                } else if xml::is(c, ns::TSL, "SchemeTerritory") {
                    p.territory = Some(text_of(c));
                } else if xml::is(c, ns::TSLX, "MimeType") {
                    p.mime_type = Some(text_of(c));
                } else if xml::is(c, ns::TSL, "SchemeOperatorName") {
                    p.operator = names(c);
                } else if xml::is(c, ns::TSL, "SchemeTypeCommunityRules") {
                    p.community_rules = multilang(c, ns::TSL, "URI");
                } else if xml::is(c, ns::HUREN, "Approval") {
                    if p.approval.is_some() {
                        return Err(Error::format(
                            location(c),
                            "a pointer may carry only one miit:Approval",
                        ));
                    }
                    p.approval = Some(approval(c)?);
                }
            }
        }
    }
    Ok(p)
}

fn provider(n: Node<'_, '_>, counts: &mut Counts) -> Result<Provider, Error> {
    let info = child(n, ns::TSL, "TSPInformation")?;
    let mut p = Provider {
        name: names(child(info, ns::TSL, "TSPName")?),
        trade_names: optional_child(info, ns::TSL, "TSPTradeName")?
            .map(names)
            .unwrap_or_default(),
        address: match optional_child(info, ns::TSL, "TSPAddress")? {
            Some(a) => address(a)?,
            None => Address::default(),
        },
        information_uris: opt_uris(info, ns::TSL, "TSPInformationURI")?,
        services: Vec::new(),
    };
    if let Some(services) = optional_child(n, ns::TSL, "TSPServices")? {
        for s in children(services, ns::TSL, "TSPService") {
            counts.services += 1;
            if counts.services > MAX_SERVICES {
                return Err(Error::Limit {
                    what: "trust services",
                    limit: MAX_SERVICES,
                });
            }
            p.services.push(service(s, counts)?);
        }
    }
    Ok(p)
}

/// The parts common to `ServiceInformation` and `ServiceHistoryInstance`.
struct Common {
    service_type: ServiceType,
    name: MultiLang,
    identities: Vec<DigitalIdentity>,
    status: ServiceStatus,
    status_start: i64,
    extensions: ServiceExtensions,
}

fn common(n: Node<'_, '_>) -> Result<Common, Error> {
    let mut identities = Vec::new();
    for sdi in children(n, ns::TSL, "ServiceDigitalIdentity") {
        for did in children(sdi, ns::TSL, "DigitalId") {
            if let Some(id) = digital_id(did)? {
                identities.push(id);
            }
        }
    }
    Ok(Common {
        service_type: ServiceType::from_uri(&text_of(child(n, ns::TSL, "ServiceTypeIdentifier")?)),
        name: names(child(n, ns::TSL, "ServiceName")?),
        identities,
        status: ServiceStatus::from_uri(&text_of(child(n, ns::TSL, "ServiceStatus")?)),
        status_start: date(child(n, ns::TSL, "StatusStartingTime")?)?,
        extensions: match optional_child(n, ns::TSL, "ServiceInformationExtensions")? {
            Some(e) => extensions(e)?,
            None => ServiceExtensions::default(),
        },
    })
}

fn service(n: Node<'_, '_>, counts: &mut Counts) -> Result<Service, Error> {
    let si = child(n, ns::TSL, "ServiceInformation")?;
    let c = common(si)?;
    let mut history = Vec::new();
    if let Some(h) = optional_child(n, ns::TSL, "ServiceHistory")? {
        for hi in children(h, ns::TSL, "ServiceHistoryInstance") {
            counts.history += 1;
            if counts.history > MAX_HISTORY_INSTANCES {
                return Err(Error::Limit {
                    what: "service history instances",
                    limit: MAX_HISTORY_INSTANCES,
                });
            }
            let h = common(hi)?;
            history.push(HistoryInstance {
                service_type: h.service_type,
                name: h.name,
                identities: h.identities,
                status: h.status,
                status_start: h.status_start,
                extensions: h.extensions,
            });
        }
    }
    Ok(Service {
        service_type: c.service_type,
        name: c.name,
        identities: c.identities,
        status: c.status,
        status_start: c.status_start,
        scheme_definition_uris: opt_uris(si, ns::TSL, "SchemeServiceDefinitionURI")?,
        supply_points: match optional_child(si, ns::TSL, "ServiceSupplyPoints")? {
            Some(sp) => children(sp, ns::TSL, "ServiceSupplyPoint")
                .map(text_of)
                .collect(),
            None => Vec::new(),
        },
        definition_uris: opt_uris(si, ns::TSL, "TSPServiceDefinitionURI")?,
        extensions: c.extensions,
        history,
    })
}

fn digital_id(n: Node<'_, '_>) -> Result<Option<DigitalIdentity>, Error> {
    let Some(c) = n.children().find(Node::is_element) else {
        return Ok(None);
    };
    Ok(Some(if xml::is(c, ns::TSL, "X509Certificate") {
        DigitalIdentity::Certificate(base64(c)?)
    } else if xml::is(c, ns::TSL, "X509SubjectName") {
        DigitalIdentity::SubjectName(text_of(c))
    } else if xml::is(c, ns::TSL, "X509SKI") {
        DigitalIdentity::Ski(base64(c)?)
    } else if xml::is(c, ns::DS, "KeyValue") {
        let input = c.document().input_text();
        DigitalIdentity::KeyValue(input.get(c.range()).unwrap_or("").to_string())
    } else if xml::is(c, ns::TSL, "Other") {
        DigitalIdentity::Other(text_of(c))
    } else {
        return Ok(None);
    }))
}

fn is_true(v: Option<&str>) -> bool {
    matches!(v.map(str::trim), Some("true" | "1"))
}

fn expanded(n: Node<'_, '_>) -> String {
    format!(
        "{{{}}}{}",
        n.tag_name().namespace().unwrap_or(""),
        n.tag_name().name()
    )
}

fn extensions(n: Node<'_, '_>) -> Result<ServiceExtensions, Error> {
    let mut x = ServiceExtensions::default();
    let mut miit = MiitServiceExtension::default();
    let mut has_miit = false;
    for ext in children(n, ns::TSL, "Extension") {
        let critical = is_true(ext.attribute("Critical"));
        for c in ext.children().filter(Node::is_element) {
            if xml::is(c, ns::ECC, "Qualifications") {
                for qe in children(c, ns::ECC, "QualificationElement") {
                    x.qualifications.push(qualification(qe)?);
                }
            } else if xml::is(c, ns::TSLX, "TakenOverBy") {
                x.taken_over_by = Some(TakenOverBy {
                    uri: multilang(c, ns::TSLX, "URI"),
                    tsp_name: optional_child(c, ns::TSLX, "TSPName")?
                        .map(names)
                        .unwrap_or_default(),
                    operator: optional_child(c, ns::TSL, "SchemeOperatorName")?
                        .map(names)
                        .unwrap_or_default(),
                    territory: optional_child(c, ns::TSL, "SchemeTerritory")?
                        .map(text_of)
                        .unwrap_or_default(),
                });
            } else if xml::is(c, ns::TSL, "AdditionalServiceInformation") {
                x.additional_info
                    .extend(children(c, ns::TSL, "URI").map(text_of));
            } else if xml::is(c, ns::TSLX, "ExtendedKeyUsage") {
                for kp in children(c, ns::TSLX, "KeyPurposeId") {
                    if let Some(id) = optional_child(kp, ns::XADES, "Identifier")? {
                        x.ekus.push(text_of(id));
                    }
                }
            } else if xml::is(c, ns::TSL, "ExpiredCertsRevocationInfo") {
                x.expired_certs_revocation_info = Some(date(c)?);
            } else if c.tag_name().namespace() == Some(ns::HUREN) {
                if miit_element(c, &mut miit)? {
                    has_miit = true;
                } else if critical {
                    x.unknown_critical.push(expanded(c));
                }
            } else if critical {
                x.unknown_critical.push(expanded(c));
            }
        }
    }
    if has_miit {
        x.miit = Some(miit);
    }
    Ok(x)
}

fn qualification(n: Node<'_, '_>) -> Result<Qualification, Error> {
    let mut q = Qualification::default();
    if let Some(qs) = optional_child(n, ns::ECC, "Qualifiers")? {
        for qual in children(qs, ns::ECC, "Qualifier") {
            q.qualifiers.push(Qualifier::from_uri(
                qual.attribute("uri").unwrap_or("").trim(),
            ));
        }
    }
    if let Some(cl) = optional_child(n, ns::ECC, "CriteriaList")? {
        q.criteria = criteria(cl, 0)?;
    }
    Ok(q)
}

/// How deep `ecc:CriteriaList` elements may nest (genuine lists nest at most twice).
const MAX_CRITERIA_DEPTH: usize = 16;

fn criteria(n: Node<'_, '_>, depth: usize) -> Result<CriteriaList, Error> {
    if depth > MAX_CRITERIA_DEPTH {
        return Err(Error::Limit {
            what: "levels of nested CriteriaList",
            limit: MAX_CRITERIA_DEPTH,
        });
    }
    let mut c = CriteriaList {
        assert: n
            .attribute("assert")
            .map(CriteriaAssert::parse)
            .unwrap_or_default(),
        ..CriteriaList::default()
    };
    for e in n.children().filter(Node::is_element) {
        if xml::is(e, ns::ECC, "KeyUsage") {
            c.key_usages.push(
                children(e, ns::ECC, "KeyUsageBit")
                    .map(|b| {
                        (
                            b.attribute("name").unwrap_or("").to_string(),
                            is_true(Some(text_of(b).as_str())),
                        )
                    })
                    .collect(),
            );
        } else if xml::is(e, ns::ECC, "PolicySet") {
            let mut set = Vec::new();
            for pi in children(e, ns::ECC, "PolicyIdentifier") {
                if let Some(id) = optional_child(pi, ns::XADES, "Identifier")? {
                    set.push(text_of(id));
                }
            }
            c.policy_sets.push(set);
        } else if xml::is(e, ns::ECC, "CriteriaList") {
            c.nested.push(criteria(e, depth + 1)?);
        } else if xml::is(e, ns::XADES, "Description") {
            c.description = Some(text_of(e));
        }
    }
    Ok(c)
}

// ---------------------------------------------------------------------------------------
// MIIT's extensions (namespace ns::HUREN).

fn miit_text(n: Node<'_, '_>, local: &str) -> Result<String, Error> {
    Ok(text_of(child(n, ns::HUREN, local)?))
}

fn miit_date(n: Node<'_, '_>, local: &str) -> Result<i64, Error> {
    date(child(n, ns::HUREN, local)?)
}

fn oid(n: Node<'_, '_>) -> Result<Oid, Error> {
    let t = text_of(n);
    Oid::parse(&t).ok_or_else(|| {
        Error::format(
            location(n),
            format!(
                "{}: {:?} is not a dotted OID",
                n.tag_name().name(),
                clip(&t)
            ),
        )
    })
}

fn oids(n: Node<'_, '_>, item: &str) -> Result<Vec<Oid>, Error> {
    children(n, ns::HUREN, item).map(oid).collect()
}

fn opt_oids(n: Node<'_, '_>, list: &str, item: &str) -> Result<Vec<Oid>, Error> {
    match optional_child(n, ns::HUREN, list)? {
        Some(l) => oids(l, item),
        None => Ok(Vec::new()),
    }
}

/// Reads one `miit:` element into `m`; `false` when the element is not one of ours.
fn miit_element(n: Node<'_, '_>, m: &mut MiitServiceExtension) -> Result<bool, Error> {
    let dup = |what: &str| Error::format(location(n), format!("miit:{what} occurs twice"));
    match n.tag_name().name() {
        "Licence" => {
            if m.licence.is_some() {
                return Err(dup("Licence"));
            }
            m.licence = Some(Licence {
                number: miit_text(n, "Number")?,
                issuing_authority: miit_text(n, "IssuingAuthority")?,
                issued: miit_date(n, "Issued")?,
                expires: miit_date(n, "Expires")?,
            });
        }
        "Approval" => {
            if m.approval.is_some() {
                return Err(dup("Approval"));
            }
            m.approval = Some(approval(n)?);
        }
        "Restriction" => m.restrictions.push(Restriction {
            from: miit_date(n, "From")?,
            until: miit_date(n, "Until")?,
            reason: optional_child(n, ns::HUREN, "Reason")?
                .map(text_of)
                .unwrap_or_default(),
        }),
        "CertificatePolicies" => m.policy_oids.extend(oids(n, "PolicyOID")?),
        "CPS" => {
            if m.cps_url.is_some() {
                return Err(dup("CPS"));
            }
            m.cps_url = Some(text_of(n));
        }
        "Successor" => {
            if m.successor.is_some() {
                return Err(dup("Successor"));
            }
            m.successor = Some(text_of(n));
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn approval(n: Node<'_, '_>) -> Result<Approval, Error> {
    let basis_node = child(n, ns::HUREN, "Basis")?;
    let basis = if let Some(a) = optional_child(basis_node, ns::HUREN, "Agreement")? {
        Basis::Agreement(text_of(a))
    } else if optional_child(basis_node, ns::HUREN, "Reciprocity")?.is_some() {
        Basis::Reciprocity
    } else {
        return Err(Error::format(
            location(basis_node),
            "miit:Basis holds neither miit:Agreement nor miit:Reciprocity",
        ));
    };
    let mut algorithms = Vec::new();
    if let Some(algs) = optional_child(n, ns::HUREN, "Algorithms")? {
        for a in children(algs, ns::HUREN, "Algorithm") {
            let family = a.attribute("family").ok_or_else(|| {
                Error::format(location(a), "miit:Algorithm has no family attribute")
            })?;
            let bits = a.attribute("minBits").unwrap_or("0");
            let min_bits = bits.trim().parse().map_err(|_| {
                Error::format(
                    location(a),
                    format!("miit:Algorithm minBits {:?} is not a number", clip(bits)),
                )
            })?;
            algorithms.push(AlgorithmRule {
                family: AlgorithmFamily::parse(family.trim()),
                min_bits,
            });
        }
    }
    Ok(Approval {
        decision: miit_text(n, "Decision")?,
        decided: miit_date(n, "Decided")?,
        basis,
        jurisdiction: miit_text(n, "Jurisdiction")?,
        valid_from: miit_date(n, "ValidFrom")?,
        valid_until: miit_date(n, "ValidUntil")?,
        policy_oids: opt_oids(n, "CertificatePolicies", "PolicyOID")?,
        algorithms,
        key_usages: match optional_child(n, ns::HUREN, "KeyUsages")? {
            Some(k) => children(k, ns::HUREN, "KeyUsage").map(text_of).collect(),
            None => Vec::new(),
        },
        ekus: opt_oids(n, "ExtendedKeyUsages", "KeyPurpose")?,
    })
}
