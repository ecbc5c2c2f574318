//! Trust lists (ETSI TS 119 612): reading, verification, building and signing.
#![forbid(unsafe_code)]
