#!/usr/bin/env python3
"""An independent check of a signed trust list with lxml and signxml (PyPI).

Usage: verify_signxml.py LIST.xml SIGNER.pem

Verifies the enveloped XMLDSig and its XAdES signed properties with signxml's XAdESVerifier,
pinned to SIGNER.pem, expects exactly two references (the document and the signed
properties), and prints the TSLSequenceNumber read from the signed document. Exit 0 when the
signature verifies, 1 when it does not, 2 on bad usage.
"""
import sys

from lxml import etree
from signxml.xades import XAdESVerifier

TSL = "http://uri.etsi.org/02231/v2#"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    with open(sys.argv[2], "r", encoding="ascii") as f:
        cert = f.read()
    try:
        results = XAdESVerifier().verify(data, x509_cert=cert, expect_references=2)
    except Exception as e:  # signxml raises several exception types
        print(f"INVALID: {type(e).__name__}: {e}")
        return 1
    signed = results[0].signed_xml
    seq = signed.find(f"{{{TSL}}}SchemeInformation/{{{TSL}}}TSLSequenceNumber")
    if signed.tag != f"{{{TSL}}}TrustServiceStatusList" or seq is None:
        print("INVALID: the first reference does not cover the trust list")
        return 1
    print(f"VALID sequence {seq.text.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
