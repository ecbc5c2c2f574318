//! The reader on genuine EU lists (against MANIFEST.tsv) and on small hand-written
//! documents: prefix independence, unknown URIs, status history, closed lists, errors that
//! say where.
#![allow(clippy::disallowed_methods)] // tests read the corpus

mod common;

use common::*;
use huren_trustlists::model::*;
use huren_trustlists::{Error, Limits, read_unverified};
use huren_validator::{Certificate, parse_rfc3339};
use std::path::Path;

fn read_file(dir: &Path, rel: &str) -> TrustList {
    let bytes = std::fs::read(dir.join(rel)).unwrap();
    read_unverified(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn t(s: &str) -> i64 {
    parse_rfc3339(s).unwrap()
}

#[test]
fn every_genuine_list_reads_as_the_manifest_says() {
    let Some(dir) = eu_tl("model_read genuine lists") else {
        return;
    };
    let m = manifest(&dir);
    assert_eq!(m.len(), 12);
    for e in &m {
        let l = read_file(&dir, &e.file);
        assert_eq!(
            l.scheme_territory.as_deref(),
            Some(e.territory.as_str()),
            "{}",
            e.file
        );
        assert_eq!(l.version, e.version, "{}", e.file);
        assert_eq!(l.sequence, e.sequence, "{}", e.file);
        assert_eq!(l.issued, t(&e.issued), "{}", e.file);
        assert_eq!(l.next_update, e.next_update.as_deref().map(t), "{}", e.file);
        assert!(
            !l.operator.is_empty() && !l.scheme_name.is_empty(),
            "{}",
            e.file
        );
        // Every file but IE carries an Id on the document element.
        assert_eq!(l.id.is_some(), e.territory != "IE", "{}", e.file);
        if e.territory == "EU" {
            assert!(
                l.pointers.len() > 25,
                "{}: {} pointers",
                e.file,
                l.pointers.len()
            );
            assert!(l.providers.is_empty(), "{}", e.file);
        } else {
            let services = l.services().count();
            assert!(services > 0, "{}: no services", e.file);
            // Every service has a name, a start and at least one identity (a certificate,
            // a subject name, an SKI or an Other value).
            for (p, s) in l.services() {
                assert!(!p.name.is_empty() && !s.name.is_empty(), "{}", e.file);
                assert!(
                    !s.identities.is_empty(),
                    "{}: {:?}",
                    e.file,
                    s.name.get("en")
                );
            }
        }
    }
}

#[test]
fn the_closed_uk_list_has_no_next_update() {
    let Some(dir) = eu_tl("model_read closed list") else {
        return;
    };
    let uk = read_file(&dir, "current/UK_TSL_UK.xml");
    assert_eq!(uk.next_update, None);
    assert_eq!(uk.scheme_territory.as_deref(), Some("UK"));
}

#[test]
fn lotl_390_points_to_every_member_list_and_not_to_the_stale_hr_signer() {
    let Some(dir) = eu_tl("model_read LOTL pointers") else {
        return;
    };
    let m = manifest(&dir);
    let lotl = read_file(&dir, "current/eu-lotl-390.xml");
    assert_eq!(lotl.sequence, 390);
    for e in m
        .iter()
        .filter(|e| e.file.starts_with("current/") && e.territory != "EU")
    {
        let pointers: Vec<&Pointer> = lotl.pointers_for(&e.territory).collect();
        assert!(!pointers.is_empty(), "no pointer for {}", e.territory);
        for p in &pointers {
            assert!(
                !p.signers.is_empty(),
                "{}: pointer without signers",
                e.territory
            );
            assert!(p.location.starts_with("http"), "{}", p.location);
            for s in &p.signers {
                Certificate::from_der(s).unwrap_or_else(|err| panic!("{}: {err:?}", e.territory));
            }
        }
        let pinned: Vec<String> = pointers
            .iter()
            .flat_map(|p| p.signers.iter().map(|s| sha256_hex(s)))
            .collect();
        let pins_it = pinned.contains(&e.signer_sha256);
        if e.territory == "HR" {
            assert!(!pins_it, "LOTL 390 must not pin the stale HR signer");
        } else {
            assert!(pins_it, "LOTL 390 does not pin the {} signer", e.territory);
        }
    }
    // The XML pointers carry type and MIME type.
    let se: Vec<&Pointer> = lotl.pointers_for("SE").collect();
    assert!(se.iter().any(|p| {
        p.mime_type.as_deref() == Some("application/vnd.etsi.tsl+xml")
            && p.tsl_type.as_deref()
                == Some("http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric")
            && p.operator.get("en").is_some()
    }));
}

#[test]
fn each_pivot_eu_pointer_pins_the_next_signer() {
    let Some(dir) = eu_tl("model_read pivots") else {
        return;
    };
    let m = manifest(&dir);
    let chain = [
        "pivots/eu-lotl-pivot-282.xml",
        "pivots/eu-lotl-pivot-300.xml",
        "pivots/eu-lotl-pivot-335.xml",
        "pivots/eu-lotl-pivot-341.xml",
        "current/eu-lotl-390.xml",
    ];
    for pair in chain.windows(2) {
        let list = read_file(&dir, pair[0]);
        let eu: Vec<&Pointer> = list.pointers_for("EU").collect();
        assert!(!eu.is_empty(), "{}: no EU pointer", pair[0]);
        let signers: Vec<String> = eu
            .iter()
            .flat_map(|p| p.signers.iter().map(|s| sha256_hex(s)))
            .collect();
        assert!(
            !signers.is_empty(),
            "{}: the EU pointer lists no signer",
            pair[0]
        );
        let next = m.iter().find(|e| e.file == pair[1]).unwrap();
        assert!(
            signers.contains(&next.signer_sha256),
            "{}'s EU pointer does not pin the signer of {}",
            pair[0],
            pair[1]
        );
        // The pivots are listed in SchemeInformationURI.
        assert!(list.information_uris.texts().any(|u| u.contains("pivot")));
    }
}

#[test]
fn genuine_statuses_and_types_are_all_known() {
    let Some(dir) = eu_tl("model_read statuses") else {
        return;
    };
    for e in manifest(&dir).iter().filter(|e| e.territory != "EU") {
        let l = read_file(&dir, &e.file);
        let mut unknown = Vec::new();
        for (_, s) in l.services() {
            if s.status.is_unknown() {
                unknown.push(format!("status {}", s.status.label()));
            }
            if let ServiceType::Unknown(u) = &s.service_type {
                unknown.push(format!("type {u}"));
            }
            for h in &s.history {
                if h.status.is_unknown() {
                    unknown.push(format!("history status {}", h.status.label()));
                }
            }
            for q in s.extensions.qualifiers() {
                if let Qualifier::Unknown(u) = q {
                    unknown.push(format!("qualifier {u}"));
                }
            }
            assert!(
                s.extensions.unknown_critical.is_empty(),
                "{}: {:?}",
                e.file,
                s.extensions.unknown_critical
            );
        }
        if !unknown.is_empty() {
            eprintln!("{}: unknown URIs: {unknown:?}", e.file);
        }
        if e.territory == "CZ" {
            assert!(unknown.is_empty(), "CZ: {unknown:?}");
        }
    }
}

#[test]
fn cz_history_and_extensions_are_read() {
    let Some(dir) = eu_tl("model_read CZ details") else {
        return;
    };
    let cz = read_file(&dir, "current/CZ_TSL_CZ.xml");
    let services: Vec<&Service> = cz.services().map(|(_, s)| s).collect();
    assert!(services.len() > 400, "{}", services.len());
    // History instances exist and are ordered newest first in genuine lists.
    let with_history = services.iter().filter(|s| !s.history.is_empty()).count();
    assert!(with_history > 100, "{with_history}");
    // The first I.CA CA/QC service was accredited in 2002 and is granted today.
    let ica = services
        .iter()
        .find(|s| s.service_type == ServiceType::CaQc && !s.history.is_empty())
        .unwrap();
    let (now, since) = ica.status_at(cz.issued).unwrap();
    assert_eq!((now, since), (&ica.status, ica.status_start));
    let oldest = ica.intervals().last().copied().unwrap();
    assert_eq!(
        ica.status_at(oldest.from),
        Some((oldest.status, oldest.from))
    );
    assert_eq!(ica.status_at(oldest.from - 1), None);
    // Qualifications with policy criteria, TakenOverBy and AdditionalServiceInformation occur.
    assert!(services.iter().any(|s| {
        s.extensions
            .qualifications
            .iter()
            .any(|q| !q.criteria.policy_sets.is_empty())
    }));
    assert!(services.iter().any(|s| {
        s.history.iter().any(|h| {
            h.extensions
                .taken_over_by
                .as_ref()
                .is_some_and(|t| t.territory == "SK")
        })
    }));
    assert!(services.iter().any(|s| {
        s.extensions
            .additional_info
            .iter()
            .any(|u| u.ends_with("/ForeSignatures"))
    }));
    // X509SubjectName, X509SKI and Other identities are kept.
    let ids = services.iter().flat_map(|s| s.identities.iter());
    let mut kinds = [false; 4];
    for id in ids {
        match id {
            DigitalIdentity::Certificate(c) => kinds[0] |= Certificate::from_der(c).is_ok(),
            DigitalIdentity::SubjectName(_) => kinds[1] = true,
            DigitalIdentity::Ski(s) => kinds[2] |= s.len() == 20,
            DigitalIdentity::Other(_) => kinds[3] = true,
            _ => {}
        }
    }
    assert_eq!(kinds, [true; 4]);
}

// ---------------------------------------------------------------------------------------
// Hand-written documents.

const TSL: &str = "http://uri.etsi.org/02231/v2#";

/// A small list in the default namespace; `services` goes inside one provider's TSPServices,
/// `next` inside NextUpdate.
fn doc(next: &str, services: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="{TSL}" xmlns:x="http://uri.etsi.org/02231/v2/additionaltypes#" Id="t1" TSLTag="http://uri.etsi.org/19612/TSLTag">
  <SchemeInformation>
    <TSLVersionIdentifier>6</TSLVersionIdentifier>
    <TSLSequenceNumber>3</TSLSequenceNumber>
    <TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/CNlist</TSLType>
    <SchemeOperatorName><Name xml:lang="zh">工业和信息化部</Name><Name xml:lang="en">MIIT</Name></SchemeOperatorName>
    <SchemeName><Name xml:lang="en">CN: test</Name></SchemeName>
    <SchemeTerritory>CN</SchemeTerritory>
    <HistoricalInformationPeriod>65535</HistoricalInformationPeriod>
    <PointersToOtherTSL>
      <OtherTSLPointer>
        <ServiceDigitalIdentities><ServiceDigitalIdentity><DigitalId>
          <X509Certificate>
            AQID
            BA==
          </X509Certificate>
        </DigitalId></ServiceDigitalIdentity></ServiceDigitalIdentities>
        <TSLLocation>https://example.eu/SE.xml</TSLLocation>
        <AdditionalInformation>
          <OtherInformation><SchemeTerritory>SE</SchemeTerritory></OtherInformation>
          <OtherInformation><x:MimeType>application/vnd.etsi.tsl+xml</x:MimeType></OtherInformation>
        </AdditionalInformation>
      </OtherTSLPointer>
    </PointersToOtherTSL>
    <ListIssueDateTime>2026-09-01T00:00:00Z</ListIssueDateTime>
    <NextUpdate>{next}</NextUpdate>
  </SchemeInformation>
  <TrustServiceProviderList>
    <TrustServiceProvider>
      <TSPInformation><TSPName><Name xml:lang="en">Alpha</Name></TSPName></TSPInformation>
      <TSPServices>{services}</TSPServices>
    </TrustServiceProvider>
  </TrustServiceProviderList>
</TrustServiceStatusList>
"#
    )
}

const NEXT: &str = "<dateTime>2027-03-01T00:00:00Z</dateTime>";

fn service(status: &str, start: &str, extra: &str) -> String {
    format!(
        r#"<TSPService><ServiceInformation>
  <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/PKC</ServiceTypeIdentifier>
  <ServiceName><Name xml:lang="en">Alpha CA</Name></ServiceName>
  <ServiceDigitalIdentity><DigitalId><X509SubjectName>CN=Alpha</X509SubjectName></DigitalId></ServiceDigitalIdentity>
  <ServiceStatus>{status}</ServiceStatus>
  <StatusStartingTime>{start}</StatusStartingTime>
  {extra}
</ServiceInformation></TSPService>"#
    )
}

fn read_str(s: &str) -> Result<TrustList, Error> {
    read_unverified(s.as_bytes(), &Limits::default())
}

const GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
const WITHDRAWN: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

#[test]
fn prefixes_do_not_matter() {
    let plain = doc(NEXT, &service(GRANTED, "2026-01-01T00:00:00Z", ""));
    let a = read_str(&plain).unwrap();
    // The same document with the list namespace bound to `tsl:` and the additional types
    // to another prefix.
    let mut prefixed = String::new();
    let mut rest = plain.as_str();
    while let Some(i) = rest.find('<') {
        prefixed.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let skip = rest.starts_with('?') || rest.starts_with("x:") || rest.starts_with("/x:");
        if !skip {
            if let Some(r) = rest.strip_prefix('/') {
                prefixed.push_str("/tsl:");
                rest = r;
            } else {
                prefixed.push_str("tsl:");
            }
        }
    }
    prefixed.push_str(rest);
    let prefixed = prefixed
        .replace(&format!("xmlns=\"{TSL}\""), &format!("xmlns:tsl=\"{TSL}\""))
        .replace("xmlns:x=", "xmlns:q=")
        .replace("x:MimeType", "q:MimeType");
    assert!(prefixed.contains("<tsl:TSLSequenceNumber>") && prefixed.contains("<q:MimeType>"));
    let b = read_str(&prefixed).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.pointers[0].signers, vec![vec![1u8, 2, 3, 4]]);
    assert_eq!(
        a.pointers[0].mime_type.as_deref(),
        Some("application/vnd.etsi.tsl+xml")
    );
    assert_eq!(a.operator.get("zh"), Some("工业和信息化部"));
    assert_eq!(a.operator.get("fr"), Some("MIIT"));

    // An element with the right local name in another namespace is not ours.
    let foreign = plain.replace(
        "<SchemeTerritory>CN</SchemeTerritory>",
        "<SchemeTerritory xmlns=\"urn:other\">CN</SchemeTerritory>",
    );
    assert_eq!(read_str(&foreign).unwrap().scheme_territory, None);
}

#[test]
fn an_unknown_status_is_kept_and_never_granted() {
    let typo = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/grantd";
    let l = read_str(&doc(NEXT, &service(typo, "2026-01-01T00:00:00Z", ""))).unwrap();
    let s = &l.providers[0].services[0];
    assert_eq!(s.status, ServiceStatus::Unknown(typo.into()));
    assert!(!s.status.is_granted_like());
    assert_eq!(s.status.label(), typo);
    let l = read_str(&doc(
        NEXT,
        &service(MIIT_STATUS_SUSPENDED, "2026-01-01T00:00:00Z", ""),
    ))
    .unwrap();
    assert_eq!(l.providers[0].services[0].status, ServiceStatus::Suspended);
    assert!(!ServiceStatus::Suspended.is_granted_like());
}

#[test]
fn status_at_follows_the_history() {
    let history = format!(
        r#"</ServiceInformation><ServiceHistory>
  <ServiceHistoryInstance>
    <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/PKC</ServiceTypeIdentifier>
    <ServiceName><Name xml:lang="en">Alpha CA</Name></ServiceName>
    <ServiceDigitalIdentity/>
    <ServiceStatus>{MIIT_STATUS_SUSPENDED}</ServiceStatus>
    <StatusStartingTime>2025-06-01T00:00:00Z</StatusStartingTime>
  </ServiceHistoryInstance>
  <ServiceHistoryInstance>
    <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/PKC</ServiceTypeIdentifier>
    <ServiceName><Name xml:lang="en">Alpha CA</Name></ServiceName>
    <ServiceDigitalIdentity/>
    <ServiceStatus>{GRANTED}</ServiceStatus>
    <StatusStartingTime>2024-01-01T00:00:00+08:00</StatusStartingTime>
  </ServiceHistoryInstance>
</ServiceHistory></TSPService>"#
    );
    let svc = service(WITHDRAWN, "2026-01-01T00:00:00Z", "")
        .replace("</ServiceInformation></TSPService>", &history);
    let l = read_str(&doc(NEXT, &svc)).unwrap();
    let s = &l.providers[0].services[0];
    assert_eq!(s.history.len(), 2);
    let g = t("2023-12-31T16:00:00Z");
    assert_eq!(s.status_at(g - 1), None);
    assert_eq!(s.status_at(g), Some((&ServiceStatus::Granted, g)));
    let sus = t("2025-06-01T00:00:00Z");
    assert_eq!(s.status_at(sus - 1), Some((&ServiceStatus::Granted, g)));
    assert_eq!(s.status_at(sus), Some((&ServiceStatus::Suspended, sus)));
    let w = t("2026-01-01T00:00:00Z");
    assert_eq!(s.status_at(w - 1), Some((&ServiceStatus::Suspended, sus)));
    assert_eq!(s.status_at(w), Some((&ServiceStatus::Withdrawn, w)));
    assert_eq!(s.status_at(i64::MAX), Some((&ServiceStatus::Withdrawn, w)));
    let iv = s.intervals();
    assert_eq!(iv.len(), 3);
    assert_eq!((iv[1].from, iv[1].until), (sus, Some(w)));
    assert!(iv[2].contains(g) && !iv[2].contains(sus));
}

#[test]
fn an_out_of_order_history_instance_covers_nothing() {
    let svc = service(GRANTED, "2026-01-01T00:00:00Z", "").replace(
        "</ServiceInformation></TSPService>",
        &format!(
            r#"</ServiceInformation><ServiceHistory><ServiceHistoryInstance>
    <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/PKC</ServiceTypeIdentifier>
    <ServiceName><Name xml:lang="en">Alpha CA</Name></ServiceName>
    <ServiceDigitalIdentity/>
    <ServiceStatus>{WITHDRAWN}</ServiceStatus>
    <StatusStartingTime>2027-01-01T00:00:00Z</StatusStartingTime>
  </ServiceHistoryInstance></ServiceHistory></TSPService>"#
        ),
    );
    let l = read_str(&doc(NEXT, &svc)).unwrap();
    let s = &l.providers[0].services[0];
    assert_eq!(s.history.len(), 1);
    assert_eq!(s.intervals().len(), 1);
    assert_eq!(
        s.status_at(t("2027-06-01T00:00:00Z")),
        Some((&ServiceStatus::Granted, t("2026-01-01T00:00:00Z")))
    );
}

#[test]
fn an_empty_next_update_is_a_closed_list() {
    let l = read_str(&doc("", "")).unwrap();
    assert_eq!(l.next_update, None);
    let l = read_str(&doc(NEXT, "")).unwrap();
    assert_eq!(l.next_update, Some(t("2027-03-01T00:00:00Z")));
    // Fractions, offsets and a missing zone are xsd:dateTime forms genuine lists use.
    for (text, want) in [
        ("2027-03-01T08:00:00.250+08:00", "2027-03-01T00:00:00Z"),
        ("2027-03-01T00:00:00", "2027-03-01T00:00:00Z"),
    ] {
        let l = read_str(&doc(&format!("<dateTime>{text}</dateTime>"), "")).unwrap();
        assert_eq!(l.next_update, Some(t(want)), "{text}");
    }
    // A missing NextUpdate element is not a closed list but an error.
    let missing = doc(NEXT, "").replace(&format!("<NextUpdate>{NEXT}</NextUpdate>"), "");
    assert!(matches!(read_str(&missing), Err(Error::Format { .. })));
}

#[test]
fn a_bad_date_says_where() {
    let text = doc(NEXT, &service(GRANTED, "2026-13-01T00:00:00Z", ""));
    let err = read_str(&text).unwrap_err();
    let Error::Format { at, message } = &err else {
        panic!("{err:?}");
    };
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("<StatusStartingTime>")
                .map(|c| (i as u32 + 1, c as u32 + 1))
        })
        .unwrap();
    assert_eq!((at.line, at.column), (line, col), "{err}");
    assert!(
        at.path.ends_with("ServiceInformation/StatusStartingTime"),
        "{}",
        at.path
    );
    assert!(message.contains("2026-13-01T00:00:00Z"), "{message}");
    assert!(err.to_string().contains(&format!("line {line}")), "{err}");
}

#[test]
fn unknown_extensions_are_ignored_unless_critical() {
    let ext = r#"<ServiceInformationExtensions>
    <Extension Critical="false"><z:Hint xmlns:z="urn:z">x</z:Hint></Extension>
    <Extension Critical="true"><z:Must xmlns:z="urn:z">y</z:Must></Extension>
    <Extension Critical="true"><m:Future xmlns:m="urn:huren:tsl:miit:1"/></Extension>
    <Extension Critical="false"><m:CPS xmlns:m="urn:huren:tsl:miit:1">https://a.example/cps</m:CPS></Extension>
  </ServiceInformationExtensions>"#;
    let l = read_str(&doc(NEXT, &service(GRANTED, "2026-01-01T00:00:00Z", ext))).unwrap();
    let x = &l.providers[0].services[0].extensions;
    assert_eq!(
        x.unknown_critical,
        vec![
            "{urn:z}Must".to_string(),
            "{urn:huren:tsl:miit:1}Future".to_string()
        ]
    );
    assert_eq!(
        x.miit.as_ref().and_then(|m| m.cps_url.as_deref()),
        Some("https://a.example/cps")
    );
}

#[test]
fn a_malformed_miit_extension_is_an_error_with_a_place() {
    let ext = r#"<ServiceInformationExtensions><Extension Critical="false">
    <m:Licence xmlns:m="urn:huren:tsl:miit:1"><m:Number>1</m:Number><m:IssuingAuthority>MIIT</m:IssuingAuthority>
    <m:Issued>yesterday</m:Issued><m:Expires>2030-01-01T00:00:00Z</m:Expires></m:Licence>
  </Extension></ServiceInformationExtensions>"#;
    let err = read_str(&doc(NEXT, &service(GRANTED, "2026-01-01T00:00:00Z", ext))).unwrap_err();
    match err {
        Error::Format { at, message } => {
            assert!(at.path.ends_with("Licence/Issued"), "{}", at.path);
            assert!(message.contains("yesterday"), "{message}");
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn shape_errors_and_limits() {
    // Not a trust list.
    let err = read_str("<a/>").unwrap_err();
    assert!(matches!(err, Error::Format { .. }), "{err:?}");
    // Version 4 is not read.
    let v4 = doc(NEXT, "").replace(">6</TSLVersionIdentifier>", ">4</TSLVersionIdentifier>");
    assert!(
        read_str(&v4)
            .unwrap_err()
            .to_string()
            .contains("TSLVersionIdentifier 4")
    );
    // A certificate that is not base64.
    let bad = doc(NEXT, "").replace("AQID", "A*ID");
    let err = read_str(&bad).unwrap_err();
    assert!(
        err.to_string()
            .contains("X509Certificate is not valid base64"),
        "{err}"
    );
    // Too many pointers.
    let one = {
        let d = doc(NEXT, "");
        let a = d.find("<OtherTSLPointer>").unwrap();
        let b = d.find("</OtherTSLPointer>").unwrap() + "</OtherTSLPointer>".len();
        d[a..b].to_string()
    };
    let many = doc(NEXT, "").replace(&one, &one.repeat(1001));
    assert_eq!(
        read_str(&many).unwrap_err(),
        Error::Limit {
            what: "pointers to other lists",
            limit: 1000
        }
    );
    // A DTD is refused by the hardened parser.
    let dtd = doc(NEXT, "").replacen(
        "<TrustServiceStatusList",
        "<!DOCTYPE x><TrustServiceStatusList",
        1,
    );
    assert!(matches!(read_str(&dtd), Err(Error::Xml { .. })));
}
