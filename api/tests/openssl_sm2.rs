//! An SM2 chain made by the OpenSSL CLI (signing with `-sigopt distid:1234567812345678`) is
//! accepted by huren: interoperability with a peer nobody on this project wrote.

use std::process::Command;

#[test]
fn openssl_made_sm2_chain_validates() {
    let dir = std::env::temp_dir().join(format!("huren-openssl-sm2-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    huren_testvectors::make_openssl_sm2_chain(&dir)
        .expect("openssl must be installed (the test command installs it)");
    let mut args = vec![
        "validate".to_string(),
        dir.join("leaf.pem").display().to_string(),
        "--anchor".into(),
        dir.join("anchor.pem").display().to_string(),
        "--key-usage".into(),
        "digitalSignature".into(),
        "--format".into(),
        "json".into(),
    ];
    if dir.join("intermediates.pem").exists() {
        args.push("--intermediate".into());
        args.push(dir.join("intermediates.pem").display().to_string());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(&args)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "VALID", "{v:#}");
    assert!(v["path"].as_array().unwrap().len() >= 2);
    let _ = std::fs::remove_dir_all(&dir);
}
