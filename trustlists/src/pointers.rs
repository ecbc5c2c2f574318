//! Following pointers to other lists with the signers each pointer pins (MIIT's list → an
//! approved foreign list; the EU LOTL → member lists), and LOTL pivots from an Official
//! Journal signer set.

use crate::dsig::AwsLc;
use crate::error::Error;
use crate::model::{Approval, Pointer, TrustList};
use crate::verify::{At, PinnedSigners, VerifiedTrustList, verify_with};
use crate::xml::Limits;

/// The most pivot lists followed in one chain (the EU has published five in six years).
pub const MAX_PIVOTS: usize = 16;

fn is_xml_pointer(p: &Pointer) -> bool {
    p.mime_type
        .as_deref()
        .is_none_or(|m| m.contains("xml") || m.is_empty())
}

/// The signers that `pointing` pins for lists of `territory` (the union over its XML
/// pointers for that territory).
pub fn pinned_for(pointing: &TrustList, territory: &str) -> Result<PinnedSigners, Error> {
    let certs: Vec<Vec<u8>> = pointing
        .pointers
        .iter()
        .filter(|p| is_xml_pointer(p) && p.territory.as_deref() == Some(territory))
        .flat_map(|p| p.signers.iter().cloned())
        .collect();
    if certs.is_empty() {
        return Err(Error::Pointer {
            message: format!(
                "the pointing list (territory {}, sequence {}) has no pointer for territory {territory}",
                pointing.scheme_territory.as_deref().unwrap_or("?"),
                pointing.sequence
            ),
        });
    }
    PinnedSigners::new(certs)
}

/// Verifies `target` against the signers that the verified `pointing` list pins for the
/// target's territory, at `time`. The territory is read from the target before
/// verification only to choose the pointer; after verification it must be the same.
pub fn verify_via(
    target: &[u8],
    pointing: &VerifiedTrustList,
    time: i64,
) -> Result<VerifiedTrustList, Error> {
    let limits = Limits::default();
    let claimed = crate::read::read_unverified(target, &limits)?;
    let territory = claimed
        .scheme_territory
        .clone()
        .ok_or_else(|| Error::Pointer {
            message: "the list names no SchemeTerritory, so no pointer can pin its signers".into(),
        })?;
    let pinned = pinned_for(pointing.list(), &territory)?;
    let verified = verify_with(target, &pinned, At::Time(time), &limits, &AwsLc)?;
    if verified.list().scheme_territory.as_deref() != Some(territory.as_str()) {
        return Err(Error::Pointer {
            message: "the verified list names another territory than the one chosen".into(),
        });
    }
    Ok(verified)
}

/// Verifies a foreign scheme's list through the pointer of MIIT's verified list (as
/// [`verify_via`]) and returns it with the approval that pointer carries: a foreign list is
/// trusted only inside that approval, and a pointer without one trusts nothing (Art. 47).
pub fn verify_approved(
    target: &[u8],
    miit: &VerifiedTrustList,
    time: i64,
) -> Result<(VerifiedTrustList, Approval), Error> {
    let v = verify_via(target, miit, time)?;
    let territory = v.list().scheme_territory.clone().unwrap_or_default();
    let approval = miit
        .list()
        .pointers_for(&territory)
        .find_map(|p| p.approval.clone())
        .ok_or_else(|| Error::Pointer {
            message: format!(
                "the pointer for {territory} carries no approval, so nothing in it is trusted (Art. 47)"
            ),
        })?;
    Ok((v, approval))
}

/// Follows pivot lists: each is verified at its own ListIssueDateTime against the signers
/// the previous one's self-pointer names (the first against `start`, e.g. an Official
/// Journal set), sequence numbers strictly increasing. Returns the verified pivots and the
/// signers the last one pins for its own territory — the signers of the next list.
pub fn follow_pivots(
    start: &PinnedSigners,
    pivots: &[&[u8]],
) -> Result<(Vec<VerifiedTrustList>, PinnedSigners), Error> {
    if pivots.len() > MAX_PIVOTS {
        return Err(Error::Pointer {
            message: format!(
                "{} pivot lists; at most {MAX_PIVOTS} are followed",
                pivots.len()
            ),
        });
    }
    let limits = Limits::default();
    let mut signers = start.clone();
    let mut out: Vec<VerifiedTrustList> = Vec::with_capacity(pivots.len());
    for (i, bytes) in pivots.iter().enumerate() {
        let v = verify_with(bytes, &signers, At::OwnIssueTime, &limits, &AwsLc).map_err(|e| {
            Error::Pointer {
                message: format!(
                    "pivot #{} does not verify against the signers before it: {e}",
                    i + 1
                ),
            }
        })?;
        if let Some(prev) = out.last()
            && v.list().sequence <= prev.list().sequence
        {
            return Err(Error::Pointer {
                message: format!(
                    "pivot #{} has sequence {} after sequence {}: pivots must be given in increasing order",
                    i + 1,
                    v.list().sequence,
                    prev.list().sequence
                ),
            });
        }
        let territory = v
            .list()
            .scheme_territory
            .clone()
            .ok_or_else(|| Error::Pointer {
                message: format!("pivot #{} names no SchemeTerritory", i + 1),
            })?;
        signers = pinned_for(v.list(), &territory)?;
        out.push(v);
    }
    Ok((out, signers))
}
