//! The writer: a rich list with every MIIT extension round-trips through
//! `write_list` → `read_unverified`; genuine EU lists read → write → read give the same model.
#![allow(clippy::disallowed_methods)] // tests read the corpus

mod common;

use common::*;
use huren_trustlists::model::*;
use huren_trustlists::{Error, Limits, read_unverified, write_list};
use huren_validator::{Oid, parse_rfc3339};

fn t(s: &str) -> i64 {
    parse_rfc3339(s).unwrap()
}

fn oid(s: &str) -> Oid {
    Oid::parse(s).unwrap()
}

fn approval(jurisdiction: &str) -> Approval {
    let mut a = Approval::default();
    a.decision = "工信部电子认证〔2026〕3号".into();
    a.decided = t("2026-05-01T00:00:00Z");
    a.basis = Basis::Agreement("CEPA <e-signature> & \"mutual\" recognition".into());
    a.jurisdiction = jurisdiction.into();
    a.valid_from = t("2026-06-01T00:00:00Z");
    a.valid_until = t("2029-06-01T00:00:00Z");
    a.policy_oids = vec![oid("1.3.6.1.4.1.99999.1"), oid("0.4.0.194112.1.2")];
    a.algorithms = vec![
        AlgorithmRule {
            family: AlgorithmFamily::Rsa,
            min_bits: 2048,
        },
        AlgorithmRule {
            family: AlgorithmFamily::EcP384,
            min_bits: 384,
        },
        AlgorithmRule {
            family: AlgorithmFamily::Sm2,
            min_bits: 256,
        },
    ];
    a.key_usages = vec!["digitalSignature".into(), "nonRepudiation".into()];
    a.ekus = vec![oid("1.3.6.1.5.5.7.3.4")];
    a
}

fn miit_domestic() -> MiitServiceExtension {
    let mut m = MiitServiceExtension::default();
    m.licence = Some(Licence {
        number: "ECP-2024-001".into(),
        issuing_authority: "中华人民共和国工业和信息化部".into(),
        issued: t("2024-03-01T00:00:00+08:00"),
        expires: t("2029-03-01T00:00:00+08:00"),
    });
    m.restrictions = vec![
        Restriction {
            from: t("2025-01-01T00:00:00Z"),
            until: t("2025-07-01T00:00:00Z"),
            reason: "Art. 39 decision 2024-17".into(),
        },
        Restriction {
            from: t("2026-01-01T00:00:00Z"),
            until: t("2026-02-01T00:00:00Z"),
            reason: "second period".into(),
        },
    ];
    m.policy_oids = vec![oid("1.2.156.112559.1.1.1")];
    m.cps_url = Some("https://alpha.example/cps?lang=zh&v=2".into());
    m
}

/// A list using every part of the model the writer knows.
fn rich() -> TrustList {
    let mut l = TrustList::default();
    l.id = Some("miit-tl-7".into());
    l.version = 6;
    l.sequence = 7;
    l.tsl_type = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/CNlist".into();
    l.operator = MultiLang::single("zh", "中华人民共和国工业和信息化部").with("en", "MIIT");
    l.operator_address = Address {
        postal: vec![PostalAddress {
            lang: "zh".into(),
            street: "西长安街13号".into(),
            locality: "北京".into(),
            state: Some("北京市".into()),
            postal_code: Some("100804".into()),
            country: "CN".into(),
        }],
        electronic: MultiLang::single("en", "mailto:tl@miit.example"),
    };
    l.scheme_name = MultiLang::single("en", "CN: licensed & approved CAs");
    l.information_uris = MultiLang::single("en", "https://tl.miit.example/")
        .with("zh", "https://tl.miit.example/zh/");
    l.status_determination =
        "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/CNdetermination".into();
    l.community_rules = MultiLang::single(
        "en",
        "http://uri.etsi.org/TrstSvc/TrustedList/schemerules/CN",
    );
    l.scheme_territory = Some("CN".into());
    l.policy_or_legal_notice = Some(PolicyOrLegalNotice::LegalNotice(
        MultiLang::single("zh", "依据《办法》发布。\nline two\r\nwith CR")
            .with("en", "Published <here>."),
    ));
    l.historical_period = Some(65535);
    l.issued = t("2026-09-01T00:00:00Z");
    l.next_update = Some(t("2027-03-01T00:00:00Z"));
    l.distribution_points = vec!["https://tl.miit.example/miit-tl.xml".into()];

    let mut ptr = Pointer::default();
    ptr.location = "https://tl.example.eu/SE_TSL.xml".into();
    ptr.signers = vec![vec![0x30, 0x03, 1, 2, 3], vec![0x30, 0x01, 9]];
    ptr.tsl_type = Some("http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into());
    ptr.territory = Some("SE".into());
    ptr.mime_type = Some("application/vnd.etsi.tsl+xml".into());
    ptr.operator = MultiLang::single("en", "PTS");
    ptr.community_rules = MultiLang::single(
        "en",
        "http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUcommon",
    );
    ptr.approval = Some(approval("SE"));
    let mut self_ptr = Pointer::default();
    self_ptr.location = "https://tl.miit.example/miit-tl.xml".into();
    self_ptr.signers = vec![vec![0x30, 0x00]];
    self_ptr.territory = Some("CN".into());
    l.pointers = vec![ptr, self_ptr];

    // A domestic CA: withdrawn (taken over) after a suspension, with history.
    let mut current = ServiceExtensions::default();
    let mut m = miit_domestic();
    m.successor = Some("Beta CA".into());
    current.miit = Some(m);
    current.taken_over_by = Some(TakenOverBy {
        uri: MultiLang::single("en", "https://beta.example/"),
        tsp_name: MultiLang::single("en", "Beta CA").with("zh", "乙认证中心"),
        operator: MultiLang::single("en", "MIIT"),
        territory: "CN".into(),
    });
    let mut earlier = ServiceExtensions::default();
    earlier.miit = Some(miit_domestic());
    let mut s = Service::default();
    s.service_type = ServiceType::CaPkc;
    s.name = MultiLang::single("zh", "甲认证中心").with("en", "Alpha CA");
    s.identities = vec![
        DigitalIdentity::Certificate(vec![0x30, 0x82, 0, 1, 0xff]),
        DigitalIdentity::SubjectName("CN=Alpha CA, O=Alpha, C=CN".into()),
        DigitalIdentity::Ski(vec![1; 20]),
        DigitalIdentity::Other("urn:alpha:ca:1".into()),
        DigitalIdentity::KeyValue(
            r#"<ds:KeyValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:RSAKeyValue><ds:Modulus>AQAB</ds:Modulus><ds:Exponent>AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>"#
                .into(),
        ),
    ];
    s.status = ServiceStatus::Withdrawn;
    s.status_start = t("2026-08-01T00:00:00Z");
    s.scheme_definition_uris = MultiLang::single("en", "https://tl.miit.example/def");
    s.supply_points = vec!["https://alpha.example/ocsp".into()];
    s.definition_uris = MultiLang::single("zh", "https://alpha.example/tsp");
    s.extensions = current;
    let mut h1 = HistoryInstance::default();
    h1.service_type = ServiceType::CaPkc;
    h1.name = s.name.clone();
    h1.identities = vec![DigitalIdentity::Certificate(vec![0x30, 0x82, 0, 1, 0xff])];
    h1.status = ServiceStatus::Suspended;
    h1.status_start = t("2025-01-01T00:00:00Z");
    h1.extensions = earlier.clone();
    let mut h2 = h1.clone();
    h2.status = ServiceStatus::Granted;
    h2.status_start = t("2024-03-01T00:00:00+08:00");
    s.history = vec![h1, h2];

    let mut alpha = Provider::default();
    alpha.name = s.name.clone();
    alpha.trade_names = MultiLang::single("en", "Alpha").with("en", "VATCN-1");
    alpha.address = Address {
        postal: vec![PostalAddress {
            lang: "zh".into(),
            street: "路1号".into(),
            locality: "上海".into(),
            state: None,
            postal_code: None,
            country: "CN".into(),
        }],
        electronic: MultiLang::single("en", "https://alpha.example/"),
    };
    alpha.information_uris = MultiLang::single("en", "https://alpha.example/");
    alpha.services = vec![s];

    // A foreign CA with an approval, and EU-style extensions.
    let mut fx = ServiceExtensions::default();
    let mut fm = MiitServiceExtension::default();
    fm.approval = Some(approval("HK"));
    fm.cps_url = Some("https://gamma.example/cps".into());
    fx.miit = Some(fm);
    fx.qualifications = vec![Qualification {
        qualifiers: vec![
            Qualifier::QcWithQscd,
            Qualifier::Unknown("urn:x:qualifier".into()),
        ],
        criteria: CriteriaList {
            assert: CriteriaAssert::All,
            key_usages: vec![vec![
                ("nonRepudiation".into(), true),
                ("keyCertSign".into(), false),
            ]],
            policy_sets: vec![vec!["1.2.3.4".into(), "urn:oid:1.2.3.5".into()]],
            nested: vec![CriteriaList {
                assert: CriteriaAssert::None,
                policy_sets: vec![vec!["1.2.3.6".into()]],
                ..CriteriaList::default()
            }],
            description: Some("qualified".into()),
        },
    }];
    fx.additional_info =
        vec!["http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures".into()];
    fx.ekus = vec!["1.3.6.1.5.5.7.3.4".into()];
    fx.expired_certs_revocation_info = Some(t("2020-01-01T00:00:00Z"));
    let mut g = Service::default();
    g.service_type = ServiceType::Unknown("urn:x:svctype".into());
    g.name = MultiLang::single("en", "Gamma Root");
    g.identities = vec![DigitalIdentity::Certificate(vec![0x30, 0x00])];
    g.status = ServiceStatus::Unknown("urn:x:status".into());
    g.status_start = t("2026-06-01T00:00:00Z");
    g.extensions = fx;
    let mut gamma = Provider::default();
    gamma.name = MultiLang::single("en", "Gamma Trust Services");
    gamma.services = vec![g];
    // A provider without services.
    let mut empty = Provider::default();
    empty.name = MultiLang::single("en", "Delta");
    l.providers = vec![alpha, gamma, empty];
    l
}

fn round_trip(l: &TrustList) -> (String, TrustList) {
    let xml = write_list(l).unwrap();
    let back = read_unverified(xml.as_bytes(), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}\n{xml}"));
    (xml, back)
}

#[test]
fn a_rich_list_round_trips() {
    let l = rich();
    let (xml, back) = round_trip(&l);
    assert_eq!(back, l);
    // The shape: declaration, default namespace, our prefixes, Id and TSLTag, no signature.
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(xml.contains("<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\""));
    assert!(xml.contains("xmlns:miit=\"urn:huren:tsl:miit:1\""));
    assert!(xml.contains("Id=\"miit-tl-7\" TSLTag=\"http://uri.etsi.org/19612/TSLTag\""));
    assert!(xml.contains("<miit:Licence>") && xml.contains("<tslx:TakenOverBy>"));
    assert!(xml.contains("<OtherInformation>\n") && xml.contains("<miit:Approval>"));
    assert!(xml.contains("<Extension Critical=\"false\">\n"));
    assert!(xml.contains("<ecc:Qualifications>"));
    assert!(xml.contains("&lt;e-signature&gt; &amp; &quot;mutual&quot;"));
    assert!(xml.contains("with CR"));
    assert!(
        !xml.contains(":Signature") && !xml.contains("<Signature"),
        "unsigned"
    );
    // Schema order inside SchemeInformation.
    let pos = |s: &str| xml.find(s).unwrap_or_else(|| panic!("{s}"));
    let order = [
        "<TSLVersionIdentifier>",
        "<TSLSequenceNumber>",
        "<TSLType>",
        "<SchemeOperatorName>",
        "<SchemeOperatorAddress>",
        "<SchemeName>",
        "<SchemeInformationURI>",
        "<StatusDeterminationApproach>",
        "<SchemeTypeCommunityRules>",
        "<SchemeTerritory>",
        "<PolicyOrLegalNotice>",
        "<HistoricalInformationPeriod>",
        "<PointersToOtherTSL>",
        "<ListIssueDateTime>",
        "<NextUpdate>",
        "<DistributionPoints>",
        "<TrustServiceProviderList>",
    ];
    for w in order.windows(2) {
        assert!(pos(w[0]) < pos(w[1]), "{} before {}", w[0], w[1]);
    }
    // Time queries work on what was read back.
    let s = &back.providers[0].services[0];
    assert_eq!(
        s.status_at(t("2025-03-01T00:00:00Z")).map(|(st, _)| st),
        Some(&ServiceStatus::Suspended)
    );
    let iv = s.interval_at(t("2024-06-01T00:00:00Z")).unwrap();
    assert_eq!(iv.status, &ServiceStatus::Granted);
    let lic = iv
        .extensions
        .miit
        .as_ref()
        .unwrap()
        .licence
        .as_ref()
        .unwrap();
    assert!(lic.in_force_at(t("2029-02-28T00:00:00Z")) && !lic.in_force_at(lic.expires));
}

#[test]
fn a_closed_list_and_a_list_without_id() {
    let mut l = rich();
    l.next_update = None;
    l.id = None;
    let (xml, back) = round_trip(&l);
    assert!(xml.contains("<NextUpdate/>"), "{xml}");
    assert!(xml.contains("Id=\"tsl\""));
    assert_eq!(back.next_update, None);
    assert_eq!(back.id.as_deref(), Some("tsl"));
    l.id = Some("tsl".into());
    assert_eq!(back, l);
}

#[test]
fn the_writer_refuses_what_it_cannot_write_faithfully() {
    let mut l = rich();
    l.scheme_name = MultiLang::single("en", "bell\u{7}");
    let e = write_list(&l).unwrap_err();
    assert!(
        matches!(e, Error::Build { .. }) && e.to_string().contains("U+0007"),
        "{e}"
    );

    let mut l = rich();
    l.providers[1].services[0].extensions.unknown_critical = vec!["{urn:z}Must".into()];
    let e = write_list(&l).unwrap_err();
    assert!(e.to_string().contains("{urn:z}Must"), "{e}");

    let mut l = rich();
    l.providers[0].services[0].identities = vec![DigitalIdentity::KeyValue(
        "<ds:KeyValue>unbound prefix</ds:KeyValue>".into(),
    )];
    assert!(matches!(write_list(&l), Err(Error::Build { .. })));

    let mut l = rich();
    l.issued = i64::MAX;
    assert!(matches!(write_list(&l), Err(Error::Build { .. })));
}

/// Genuine lists: read → write → read gives the same model (the writer keeps every field
/// the model has; the Id is `tsl` where the original had none).
#[test]
fn genuine_lists_round_trip_through_the_writer() {
    let Some(dir) = eu_tl("model_write genuine round trip") else {
        return;
    };
    for e in manifest(&dir) {
        let bytes = std::fs::read(dir.join(&e.file)).unwrap();
        let mut l = read_unverified(&bytes, &Limits::default()).unwrap();
        let (_, back) = round_trip(&l);
        if l.id.is_none() {
            l.id = Some("tsl".into());
        }
        if back != l {
            // Say which part differs before failing.
            assert_eq!(back.pointers, l.pointers, "{}", e.file);
            for (a, b) in back.providers.iter().zip(&l.providers) {
                for (sa, sb) in a.services.iter().zip(&b.services) {
                    assert_eq!(sa, sb, "{}", e.file);
                }
                assert_eq!(a, b, "{}", e.file);
            }
            assert_eq!(back, l, "{}", e.file);
        }
    }
}
