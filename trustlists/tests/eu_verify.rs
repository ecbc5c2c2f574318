//! Acceptance on genuine EU trusted lists: every file gives its MANIFEST verdict (signature
//! and pinned set); the pivot chain from the 2019 Official Journal set reaches LOTL 390;
//! LOTL 390 pins every member list of `current/` but HR.
#![allow(clippy::disallowed_methods)]

mod common;

use common::*;
use huren_trustlists::pointers::{follow_pivots, pinned_for, verify_via};
use huren_trustlists::verify::{PinnedSigners, verify};
use huren_trustlists::{Error, dsig};
use huren_validator::parse_rfc3339;

fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap()
}

#[test]
fn every_genuine_signature_verifies_as_the_manifest_says() {
    let Some(dir) = eu_tl("EU trusted-list signatures") else {
        return;
    };
    let m = manifest(&dir);
    assert_eq!(m.len(), 12);
    for e in &m {
        let bytes = read(&dir, &e.file);
        assert_eq!(
            sha256_hex(&bytes),
            e.sha256,
            "{}: the corpus file changed",
            e.file
        );
        let text =
            std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).unwrap();
        let doc = roxmltree::Document::parse(text).unwrap();
        let r = dsig::verify_signature(&doc, &dsig::AwsLc);
        assert_eq!(e.signature, "VALID");
        let info = r.unwrap_or_else(|err| panic!("{}: {err}", e.file));
        assert_eq!(
            sha256_hex(&info.signer),
            e.signer_sha256,
            "{}: signer",
            e.file
        );
    }
}

#[test]
fn lotl_390_pins_every_member_list_but_hr() {
    let Some(dir) = eu_tl("EU LOTL pinning") else {
        return;
    };
    let m = manifest(&dir);
    let lotl_entry = m
        .iter()
        .find(|e| e.file == "current/eu-lotl-390.xml")
        .unwrap();
    let oj2026 = PinnedSigners::new(keystore(&dir, "oj-2026")).unwrap();
    let lotl_time = parse_rfc3339(&lotl_entry.issued).unwrap();
    let lotl = verify(&read(&dir, &lotl_entry.file), &oj2026, lotl_time)
        .expect("LOTL 390 against OJ 2026");
    assert_eq!(lotl.list().sequence, 390);
    for e in m
        .iter()
        .filter(|e| e.file.starts_with("current/") && e.territory != "EU")
    {
        // Each at its own ListIssueDateTime. The closed UK list (2020) was re-signed in 2026
        // by a certificate that did not exist in 2020: the signer's validity is checked at
        // the XAdES signing time.
        let t = parse_rfc3339(&e.issued).unwrap();
        let r = verify_via(&read(&dir, &e.file), &lotl, t);
        if e.pinned_by == "LOTL390" {
            let v = r.unwrap_or_else(|err| panic!("{}: {err}", e.file));
            assert_eq!(
                v.list().scheme_territory.as_deref(),
                Some(e.territory.as_str())
            );
            assert_eq!(v.list().sequence, e.sequence);
            assert_eq!(v.list().version as u32, e.version);
            assert_eq!(sha256_hex(v.signer()), e.signer_sha256);
        } else {
            assert_eq!(e.territory, "HR");
            match r {
                Err(Error::SignerNotPinned { signer_sha256, .. }) => {
                    assert_eq!(signer_sha256, e.signer_sha256)
                }
                other => panic!("HR must be refused for an unpinned signer, got {other:?}"),
            }
        }
    }
}

#[test]
fn pivot_chain_from_the_2019_journal_reaches_lotl_390() {
    let Some(dir) = eu_tl("EU LOTL pivots") else {
        return;
    };
    let oj2019 = PinnedSigners::new(keystore(&dir, "oj-2019")).unwrap();
    let pivots: Vec<Vec<u8>> = [282, 300, 335, 341]
        .iter()
        .map(|n| read(&dir, &format!("pivots/eu-lotl-pivot-{n}.xml")))
        .collect();
    let refs: Vec<&[u8]> = pivots.iter().map(Vec::as_slice).collect();
    let (verified, next) = follow_pivots(&oj2019, &refs).expect("pivot chain");
    assert_eq!(
        verified
            .iter()
            .map(|v| v.list().sequence)
            .collect::<Vec<_>>(),
        vec![282, 300, 335, 341]
    );
    let t = parse_rfc3339("2026-08-03T13:16:38Z").unwrap();
    let lotl =
        verify(&read(&dir, "current/eu-lotl-390.xml"), &next, t).expect("LOTL 390 via pivot 341");
    assert_eq!(lotl.list().sequence, 390);

    // Out of order, or starting from the wrong set, fails.
    let shuffled: Vec<&[u8]> = vec![refs[1], refs[0]];
    assert!(follow_pivots(&oj2019, &shuffled).is_err());
    let oj2026 = PinnedSigners::new(keystore(&dir, "oj-2026")).unwrap();
    let skip_282: Vec<&[u8]> = vec![refs[2]];
    assert!(
        follow_pivots(&oj2026, &skip_282).is_err(),
        "pivot 335 is signed by no Journal certificate"
    );
    // The 2019 set alone does not sign LOTL 390.
    assert!(matches!(
        verify(&read(&dir, "current/eu-lotl-390.xml"), &oj2019, t),
        Err(Error::SignerNotPinned { .. })
    ));
    // The LOTL's self-pointer is what the pivots follow.
    assert!(pinned_for(lotl.list(), "EU").is_ok());
}

#[test]
fn the_anchor_index_of_lotl_390_and_its_members() {
    use huren_trustlists::snapshot::{ListRole, build_snapshot};
    let Some(dir) = eu_tl("EU anchor index") else {
        return;
    };
    let oj2026 = PinnedSigners::new(keystore(&dir, "oj-2026")).unwrap();
    let lotl_time = parse_rfc3339("2026-08-03T13:16:38Z").unwrap();
    let lotl = verify(&read(&dir, "current/eu-lotl-390.xml"), &oj2026, lotl_time).unwrap();
    let m = manifest(&dir);
    let members: Vec<_> = m
        .iter()
        .filter(|e| e.file.starts_with("current/") && e.pinned_by == "LOTL390")
        .map(|e| {
            let t = parse_rfc3339(&e.issued).unwrap();
            verify_via(&read(&dir, &e.file), &lotl, t).unwrap()
        })
        .collect();
    let inputs: Vec<_> = members.iter().map(|v| (v, ListRole::Scheme)).collect();
    let snap = build_snapshot(&inputs);
    assert_eq!(snap.lists().len(), 6);
    for l in snap.lists() {
        assert!(l.anchors > 0, "{}: no CA anchors", l.territory);
    }
    let total: usize = snap.lists().iter().map(|l| l.anchors).sum();
    assert_eq!(total, snap.anchors().len());
    assert!(snap.id().starts_with("sha256:"));
    // The same inputs give the same id; another set another.
    assert_eq!(build_snapshot(&inputs).id(), snap.id());
    assert_ne!(build_snapshot(&inputs[..5]).id(), snap.id());
    // Every anchor carries its provenance and a status history.
    for a in snap.anchors().iter() {
        let s = a.scope().expect("scoped");
        assert!(!s.history.is_empty());
        assert!(s.provenance.list.contains('#'));
    }
    eprintln!(
        "EU anchor index: {} anchors from {:?}",
        total,
        snap.lists()
            .iter()
            .map(|l| (l.territory.as_str(), l.anchors, l.skipped))
            .collect::<Vec<_>>()
    );
}
