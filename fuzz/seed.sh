#!/usr/bin/env bash
# Builds the seed corpora fuzz/corpus/<target>/ from the checked-in test vectors
# (testvectors/**/*.pem) and, for the trust-list targets (tl_read, tl_verify, c14n), from
# the genuine EU lists in $HUREN_TESTDATA/eu-tl/ (default ../shared/testdata beside the
# workspace; read there, never copied into the project) and the project's own generated lists
# (testvectors/trustlists/*.xml), each when present. The corpus directories are generated,
# not committed (.gitignore).
#
#   bash fuzz/seed.sh            # (re)creates fuzz/corpus/{cert_parse,crl_parse,ocsp_parse,pem_decode,chain_validate,tl_read,tl_verify,c14n}
#
# Besides each list as it is, a trimmed copy is seeded: the first TrustServiceProvider with
# its first two TSPServices, and the first two OtherTSLPointers only. Its signature no longer
# verifies, which the tl_verify target does not need (its crypto accepts everything), and a
# 40-110 KB input mutates and runs far faster than a 2.6 MB one (smoke.sh cuts inputs at
# 128 KiB for these targets).
#
# PEM bodies are base64-decoded as they are (no openssl round trip, so deliberately odd
# encodings in the vectors reach the fuzzer byte for byte). Files are named by their SHA-1,
# so identical inputs are stored once and re-running adds nothing new.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vectors="$here/../testvectors"
corpus="$here/corpus"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

[ -d "$vectors" ] || { echo "seed.sh: $vectors not found" >&2; exit 1; }
mkdir -p "$corpus"/{cert_parse,crl_parse,ocsp_parse,pem_decode,chain_validate,tl_read,tl_verify,c14n}

# store <target> <file>: copies <file> into corpus/<target>/ under its SHA-1.
store() {
    local sum
    sum="$(sha1sum "$2" | cut -d' ' -f1)"
    # Writable copies, whatever the source's mode (the shared test data is read-only).
    install -m 644 "$2" "$corpus/$1/$sum"
}

# split_pem <pem file> <label> <out prefix>: writes the DER of each block to <prefix>.N.der
# (N from 0, in file order) and prints the file names.
split_pem() {
    awk -v label="$2" -v prefix="$3" '
        $0 == "-----BEGIN " label "-----" { n_open = 1; body = ""; next }
        $0 == "-----END " label "-----" && n_open {
            f = prefix "." (count + 0) ".b64"; printf "%s", body > f; close(f)
            print f; count++; n_open = 0; next
        }
        n_open { body = body $0 "\n" }
    ' "$1" | while read -r b64; do
        base64 -d "$b64" > "${b64%.b64}.der"
        rm -f "$b64"
        echo "${b64%.b64}.der"
    done
}

n=0
while IFS= read -r -d '' dir; do
    n=$((n + 1))
    d="$tmp/$n"
    mkdir -p "$d"
    for pem in "$dir"/*.pem; do
        [ -f "$pem" ] || continue
        store pem_decode "$pem"
        base="$d/$(basename "$pem" .pem)"
        split_pem "$pem" CERTIFICATE "$base" > "$base.list"
        split_pem "$pem" "X509 CRL" "$base.crl" > "$base.crl.list"
        while read -r der; do store cert_parse "$der"; store pem_decode "$der"; done < "$base.list"
        while read -r der; do store crl_parse "$der"; store pem_decode "$der"; done < "$base.crl.list"
    done

    # chain_validate: leaf ‖ intermediates ‖ anchor, at most 4 certificates (the target
    # splits its input at DER boundaries). One seed with the first two intermediates of the
    # pool, and one per single intermediate so that decoy pools are covered too.
    leaf="$d/leaf.0.der"
    [ -f "$leaf" ] || continue
    anchor=""
    for a in "$d/anchors.0.der" "$d/anchor.0.der"; do [ -f "$a" ] && anchor="$a" && break; done
    [ -n "$anchor" ] || continue
    inters=()
    [ -f "$d/intermediates.list" ] && mapfile -t inters < "$d/intermediates.list"
    cat "$leaf" "${inters[@]:0:2}" "$anchor" > "$d/chain"
    store chain_validate "$d/chain"
    for i in "${inters[@]}"; do
        cat "$leaf" "$i" "$anchor" > "$d/chain1"
        store chain_validate "$d/chain1"
    done
done < <(find "$vectors" -name leaf.pem -printf '%h\0' | sort -z)

# ocsp_parse: responses made here by `openssl ocsp` (good, revoked, unknown; signed by the CA
# itself and by a delegated responder; with and without a nonce), when openssl is present.
if command -v openssl >/dev/null; then
    o="$tmp/ocsp"
    mkdir -p "$o"
    (
        cd "$o"
        q() { "$@" >/dev/null 2>&1; }
        q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
            -out ca.pem -subj "/CN=Fuzz Seed CA" -days 3650 \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
        for n in leaf resp; do
            q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key \
                -out $n.csr -subj "/CN=Fuzz Seed $n"
        done
        q openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 4096 -days 365 -out leaf.pem
        printf 'extendedKeyUsage=OCSPSigning\n' > resp.ext
        q openssl x509 -req -in resp.csr -CA ca.pem -CAkey ca.key -set_serial 4097 -days 365 \
            -extfile resp.ext -out resp.pem
        printf 'R\t301231235959Z\t250101000000Z,keyCompromise\t1000\tunknown\t/CN=Fuzz Seed leaf\n' > index.txt
        i=0
        for serial in 0x1000 0x1001 4096; do
            for signer in "ca.pem ca.key" "resp.pem resp.key"; do
                set -- $signer
                for nonce in -nonce -no_nonce; do
                    i=$((i + 1))
                    q openssl ocsp -issuer ca.pem -serial "$serial" $nonce -reqout req.der || continue
                    q openssl ocsp -index index.txt -rsigner "$1" -rkey "$2" -CA ca.pem \
                        -reqin req.der -respout "resp$i.der" -ndays 7 || true
                done
            done
        done
    ) || true
    for f in "$o"/resp*.der; do [ -f "$f" ] && store ocsp_parse "$f"; done
fi

# Trust lists: genuine EU lists and our own generated ones, each whole and trimmed.
testdata="${HUREN_TESTDATA:-$here/../../shared/testdata}"
lists=()
if [ -d "$testdata/eu-tl" ]; then
    while IFS= read -r -d '' f; do lists+=("$f"); done \
        < <(find "$testdata/eu-tl" -name '*.xml' -type f -print0 | sort -z)
else
    echo "seed.sh: $testdata/eu-tl not found; trust-list targets seeded from the project's own lists only"
fi
if [ -d "$vectors/trustlists" ]; then
    while IFS= read -r -d '' f; do lists+=("$f"); done \
        < <(find "$vectors/trustlists" -name '*.xml' -type f -print0 | sort -z)
fi
n=0
for f in "${lists[@]}"; do
    n=$((n + 1))
    for t in tl_read tl_verify c14n; do store "$t" "$f"; done
    # Keep the first TrustServiceProvider, its first two TSPServices and the first two
    # OtherTSLPointers (whatever the prefixes); everything else byte for byte.
    perl -0777 -pe '
        s{(<((?:[\w.-]+:)?)TrustServiceProvider\b.*?</\2TrustServiceProvider>)(?:\s*<\2TrustServiceProvider\b.*?</\2TrustServiceProvider>)+}{$1}s;
        s{((?:<((?:[\w.-]+:)?)TSPService\b.*?</\2TSPService>\s*){2})(?:<(?:[\w.-]+:)?TSPService\b.*?</(?:[\w.-]+:)?TSPService>\s*)+}{$1}s;
        s{((?:<((?:[\w.-]+:)?)OtherTSLPointer\b.*?</\2OtherTSLPointer>\s*){2})(?:<(?:[\w.-]+:)?OtherTSLPointer\b.*?</(?:[\w.-]+:)?OtherTSLPointer>\s*)+}{$1}s;
    ' "$f" > "$tmp/trimmed.$n.xml"
    cmp -s "$f" "$tmp/trimmed.$n.xml" || for t in tl_read tl_verify c14n; do store "$t" "$tmp/trimmed.$n.xml"; done
done

for t in cert_parse crl_parse ocsp_parse pem_decode chain_validate tl_read tl_verify c14n; do
    printf '%-15s %5d files in %s\n' "$t" "$(find "$corpus/$t" -type f | wc -l)" "fuzz/corpus/$t"
done
