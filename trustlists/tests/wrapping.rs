//! Negative cases: altered in-memory copies of a genuine EU list (never written to disk) and
//! of a list signed here. Each must be refused, for the right reason; harmless changes
//! (a comment, the prefix of the signature) must not be.
#![allow(clippy::disallowed_methods)]

mod common;

use common::*;
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use huren_trustlists::verify::{PinnedSigners, verify};
use huren_trustlists::{Error, dsig};

const SE: &str = "current/SE_TSL_SE.xml";
const SE_TIME: i64 = 1_787_148_979; // 2026-08-19T13:56:19Z, its ListIssueDateTime

fn check(text: &str) -> Result<dsig::SignatureInfo, Error> {
    let limits = huren_trustlists::Limits::default();
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: limits.max_nodes,
            ..Default::default()
        },
    )
    .map_err(|e| Error::Signature {
        at: None,
        message: e.to_string(),
    })?;
    dsig::verify_signature(&doc, &dsig::AwsLc)
}

fn se() -> Option<(String, PinnedSigners)> {
    let dir = eu_tl("signature-wrapping cases on the SE list")?;
    let bytes = std::fs::read(dir.join(SE)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let info = check(&text).expect("pristine SE verifies");
    Some((text, PinnedSigners::new(vec![info.signer]).unwrap()))
}

fn refused(text: &str, pinned: &PinnedSigners, why: &str) -> Error {
    match verify(text.as_bytes(), pinned, SE_TIME) {
        Ok(_) => panic!("accepted: {why}"),
        Err(e) => e,
    }
}

fn signature_error(e: &Error) -> &str {
    match e {
        Error::Signature { message, .. } => message,
        Error::Xml { message, .. } => message,
        other => panic!("expected a signature or XML error, got {other}"),
    }
}

#[test]
fn pristine_and_harmless_changes_verify() {
    let Some((text, pinned)) = se() else { return };
    let v = verify(text.as_bytes(), &pinned, SE_TIME).expect("pristine");
    assert_eq!(v.list().sequence, 62);
    // A comment inside the content is outside the canonical form.
    let commented = text.replacen("<SchemeInformation>", "<SchemeInformation><!-- note -->", 1);
    assert_ne!(commented, text);
    verify(commented.as_bytes(), &pinned, SE_TIME).expect("a comment changes nothing signed");
}

#[test]
fn altered_content_is_refused() {
    let Some((text, pinned)) = se() else { return };
    let seq = "<TSLSequenceNumber>62</TSLSequenceNumber>";
    assert!(text.contains(seq));
    let altered = text.replacen(seq, "<TSLSequenceNumber>63</TSLSequenceNumber>", 1);
    let e = refused(&altered, &pinned, "sequence number changed");
    assert!(signature_error(&e).contains("altered"), "{e}");
    // One more space in a text node.
    let spaced = text.replacen("<TSLType>", "<TSLType> ", 1);
    refused(&spaced, &pinned, "whitespace added to a value");
}

#[test]
fn second_signature_and_misplaced_signature_are_refused() {
    let Some((text, pinned)) = se() else { return };
    let start = text
        .find("<ds:Signature")
        .or_else(|| text.find("Signature "))
        .unwrap();
    let start = text[..start + 1].rfind('<').unwrap();
    let end_tag = text.rfind("Signature>").unwrap() + "Signature>".len();
    let sig = &text[start..end_tag];
    // A copy of the signature, with its Ids renamed so that they stay unique.
    let copy = sig.replace("Id=\"", "Id=\"copy-");
    let doubled = format!("{}{}{}", &text[..start], copy, &text[start..]);
    let e = refused(&doubled, &pinned, "two signatures");
    assert!(signature_error(&e).contains("second"), "{e}");
    // The same copy without renaming: duplicate Ids.
    let dup = format!("{}{}{}", &text[..start], sig, &text[start..]);
    let e = refused(&dup, &pinned, "duplicate Ids");
    assert!(
        signature_error(&e).contains("more than once") || signature_error(&e).contains("second"),
        "{e}"
    );
    // The signature moved inside SchemeInformation (not a child of the document element).
    let without = format!("{}{}", &text[..start], &text[end_tag..]);
    let moved = without.replacen(
        "</SchemeInformation>",
        &format!("{sig}</SchemeInformation>"),
        1,
    );
    let e = refused(&moved, &pinned, "signature not a child of the root");
    assert!(signature_error(&e).contains("not a child"), "{e}");
}

#[test]
fn duplicate_ids_are_refused() {
    let Some((text, pinned)) = se() else { return };
    // Give an element of the content the Id of the signed properties.
    let doc = roxmltree::Document::parse(&text).unwrap();
    let sp = doc
        .descendants()
        .find(|n| n.tag_name().name() == "SignedProperties")
        .unwrap();
    let id = sp.attribute("Id").unwrap().to_string();
    drop(doc);
    let wrapped = text.replacen(
        "<SchemeInformation>",
        &format!("<SchemeInformation Id=\"{id}\">"),
        1,
    );
    let e = refused(&wrapped, &pinned, "duplicate Id");
    assert!(signature_error(&e).contains("more than once"), "{e}");
}

#[test]
fn references_to_anything_but_the_root_are_refused() {
    let Some((text, pinned)) = se() else { return };
    // The document reference redirected to an element of the content with an Id.
    let with_id = text.replacen("<SchemeInformation>", "<SchemeInformation Id=\"part\">", 1);
    let redirected = with_id.replacen("URI=\"\"", "URI=\"#part\"", 1);
    assert_ne!(redirected, with_id);
    let e = refused(&redirected, &pinned, "reference to a part of the document");
    assert!(
        signature_error(&e).contains("only the document element"),
        "{e}"
    );
    // An external reference.
    let external = text.replacen("URI=\"\"", "URI=\"http://example.com/list.xml\"", 1);
    let e = refused(&external, &pinned, "external reference");
    assert!(signature_error(&e).contains("outside the document"), "{e}");
    // An XPointer reference.
    let xp = text.replacen("URI=\"\"", "URI=\"#xpointer(/)\"", 1);
    let e = refused(&xp, &pinned, "XPointer reference");
    assert!(signature_error(&e).contains("XPointer"), "{e}");
    // A third reference.
    let i = text.find("Reference").unwrap();
    let open = text[..i].rfind('<').unwrap();
    let close = text[i..].find("Reference>").unwrap() + i + "Reference>".len();
    let r0 = &text[open..close];
    let copy = if r0.contains(" Id=\"") {
        r0.replacen(" Id=\"", " Id=\"third-", 1)
    } else {
        r0.to_string()
    };
    let three = text.replacen(r0, &format!("{r0}{copy}"), 1);
    let e = refused(&three, &pinned, "three references");
    assert!(signature_error(&e).contains("references"), "{e}");
}

#[test]
fn transforms_outside_the_profile_are_refused() {
    let Some((text, pinned)) = se() else { return };
    let env = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    let xpath = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    assert!(text.contains(env));
    let t = text.replacen(env, xpath, 1);
    let e = refused(&t, &pinned, "XPath transform");
    assert!(signature_error(&e).contains("not accepted"), "{e}");
}

#[test]
fn dtds_and_entities_are_refused() {
    let Some((text, pinned)) = se() else { return };
    let body = text.trim_start_matches('\u{feff}');
    let body = match body.find("?>") {
        Some(i) if body.starts_with("<?xml") => &body[i + 2..],
        _ => body,
    };
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>{body}"
    );
    let e = refused(&laughs, &pinned, "entity expansion");
    assert!(matches!(e, Error::Xml { .. }), "{e}");
    let empty_dtd = format!("<?xml version=\"1.0\"?><!DOCTYPE TrustServiceStatusList>{body}");
    let e = refused(&empty_dtd, &pinned, "empty DTD");
    assert!(matches!(e, Error::Xml { .. }), "{e}");
    let external =
        format!("<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"file:///etc/passwd\">{body}");
    let e = refused(&external, &pinned, "external DTD");
    assert!(matches!(e, Error::Xml { .. }), "{e}");
}

#[test]
fn unpinned_and_expired_signers_are_refused() {
    let Some((text, _pinned)) = se() else { return };
    let nobody = PinnedSigners::new(vec![]).unwrap();
    assert!(matches!(
        verify(text.as_bytes(), &nobody, SE_TIME),
        Err(Error::SignerNotPinned { .. })
    ));
}

fn own_list() -> (String, PinnedSigners) {
    let kp = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(vec![]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "test list signer");
    let cert = params.self_signed(&kp).unwrap();
    let signer = ListSigner::new(
        SigningKey::from_der(&kp.serialize_der()).unwrap(),
        cert.der().to_vec(),
    )
    .unwrap();
    let unsigned = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<tsl:TrustServiceStatusList xmlns:tsl=\"http://uri.etsi.org/02231/v2#\" Id=\"tsl\">",
        "<tsl:SchemeInformation><tsl:TSLSequenceNumber>7</tsl:TSLSequenceNumber></tsl:SchemeInformation>",
        "<tsl:TrustServiceProviderList/>",
        "</tsl:TrustServiceStatusList>\n"
    );
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let signed = sign_list(unsigned, &signer, 1_790_000_000, &rng).unwrap();
    (
        signed,
        PinnedSigners::new(vec![cert.der().to_vec()]).unwrap(),
    )
}

#[test]
fn own_signed_list_altered_copies_are_refused() {
    let (signed, _pinned) = own_list();
    check(&signed).expect("own signature verifies");
    // Content altered.
    let e = check(&signed.replacen(">7<", ">8<", 1)).unwrap_err();
    assert!(signature_error(&e).contains("altered"), "{e}");
    // Signed properties altered (signing time).
    let e = check(&signed.replacen("<xades:SigningTime>2026", "<xades:SigningTime>2025", 1))
        .unwrap_err();
    assert!(signature_error(&e).contains("signed properties"), "{e}");
    // Signature value altered.
    let i = signed.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let mut b = signed.clone().into_bytes();
    b[i] = if b[i] == b'A' { b'B' } else { b'A' };
    let e = check(std::str::from_utf8(&b).unwrap()).unwrap_err();
    assert!(signature_error(&e).contains("does not verify"), "{e}");
    // The KeyInfo certificate swapped for another: the XAdES digest no longer matches it.
    let (other, _) = own_list();
    let cert_of = |s: &str| {
        let a = s.find("<ds:X509Certificate>").unwrap() + "<ds:X509Certificate>".len();
        let z = s.find("</ds:X509Certificate>").unwrap();
        s[a..z].to_string()
    };
    let swapped = signed.replacen(&cert_of(&signed), &cert_of(&other), 1);
    let e = check(&swapped).unwrap_err();
    assert!(signature_error(&e).contains("XAdES"), "{e}");
    // SignedProperties reference pointing at a copy outside the signature.
    let a = signed.find("<xades:SignedProperties").unwrap();
    let z = signed.find("</xades:SignedProperties>").unwrap() + "</xades:SignedProperties>".len();
    let props = signed[a..z]
        .replacen("Id=\"huren-signature-signedprops\"", "Id=\"elsewhere\" xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"", 1);
    let moved = signed
        .replacen(
            "<tsl:TrustServiceProviderList/>",
            &format!("<tsl:TrustServiceProviderList/>{props}"),
            1,
        )
        .replacen(
            "URI=\"#huren-signature-signedprops\"",
            "URI=\"#elsewhere\"",
            1,
        );
    let e = check(&moved).unwrap_err();
    let msg = signature_error(&e);
    assert!(
        msg.contains("not this signature's") || msg.contains("altered"),
        "{e}"
    );
    // A signature method outside the profile (HMAC) is refused before any crypto.
    let hmac = signed.replacen(
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
        1,
    );
    let e = check(&hmac).unwrap_err();
    assert!(signature_error(&e).contains("not accepted"), "{e}");
    // Missing enveloped transform.
    let no_env = signed.replacen(
        "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
        "",
        1,
    );
    let e = check(&no_env).unwrap_err();
    assert!(signature_error(&e).contains("enveloped"), "{e}");
    // Unsigned.
    let a = signed.find("<ds:Signature").unwrap();
    let z = signed.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let unsigned = format!("{}{}", &signed[..a], &signed[z..]);
    let e = check(&unsigned).unwrap_err();
    assert!(signature_error(&e).contains("not signed"), "{e}");
}

#[test]
fn limits_hold() {
    let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
    let limits = huren_trustlists::Limits::default();
    let e = huren_trustlists::verify::verify_with(
        deep.as_bytes(),
        &PinnedSigners::default(),
        huren_trustlists::verify::At::Time(0),
        &limits,
        &dsig::AwsLc,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Limit { .. }), "{e}");
    let small = huren_trustlists::Limits {
        max_bytes: 10,
        ..limits
    };
    let e = huren_trustlists::verify::verify_with(
        deep.as_bytes(),
        &PinnedSigners::default(),
        huren_trustlists::verify::At::Time(0),
        &small,
        &dsig::AwsLc,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Limit { what: "bytes", .. }), "{e}");
}
