//! Certificate policy processing: RFC 5280 §6.1.2 (a), (d)–(f), §6.1.3 (d)–(f), §6.1.4 (a),
//! (b), (h)–(j), §6.1.5 (a), (b), (g).
//!
//! The valid_policy_tree is kept as the policy *graph* of RFC 9618: at each depth there is at
//! most one node per valid_policy, with edges to every parent. It accepts exactly the same
//! paths as the tree of RFC 5280, but its size is bounded by the policies the certificates
//! name rather than growing exponentially (the policy-tree denial of service of
//! CVE-2023-0464). Every operation still counts against a work budget.

use crate::cert::PolicyMapping;
use crate::oid::{self, Oid};
use std::collections::BTreeSet;

/// The caller's policy inputs (RFC 5280 §6.1.1 (c), (e), (f), (g)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyInputs {
    /// user-initial-policy-set; empty means {anyPolicy}.
    pub initial_policy_set: Vec<Oid>,
    /// initial-explicit-policy.
    pub require_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    pub inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit.
    pub inhibit_any_policy: bool,
}

/// Why policy processing failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// explicit_policy reached 0 with an empty valid_policy_tree (§6.1.3 (f), §6.1.5 (g)).
    NoAcceptablePolicy {
        /// The certificate index (0 = anchor side … n = leaf) where it happened.
        at: usize,
    },
    /// policyMappings maps to or from anyPolicy (§6.1.4 (a)).
    MapsAnyPolicy {
        /// The certificate index.
        at: usize,
    },
    /// The work budget ran out.
    BudgetExceeded,
}

#[derive(Clone, Debug)]
struct Node {
    valid: Oid,
    expected: Vec<Oid>,
    parents: Vec<usize>,
}

/// The policy state carried along one path.
#[derive(Clone, Debug)]
pub struct PolicyState {
    levels: Vec<Vec<Node>>,
    null: bool,
    explicit_policy: u64,
    inhibit_any_policy: u64,
    policy_mapping: u64,
    work: u64,
    limit: u64,
    user_set: Vec<Oid>,
}

fn any() -> Oid {
    Oid::from_der_contents(oid::ANY_POLICY)
}

fn is_any(o: &Oid) -> bool {
    o.as_bytes() == oid::ANY_POLICY
}

/// The outcome of policy processing for a valid path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyOutcome {
    /// The path is valid for any policy (no explicit policy required, or anyPolicy reaches
    /// the leaf and the caller accepts any).
    Any,
    /// The user-constrained policy set (§6.1.5 (g)).
    Policies(Vec<Oid>),
    /// No policy, but none was required.
    NoneRequired,
}

impl PolicyState {
    /// §6.1.2: initialisation for a path of `n` certificates (anchor excluded).
    pub fn new(n: usize, inputs: &PolicyInputs, work_limit: u64) -> Self {
        let n1 = n as u64 + 1;
        PolicyState {
            levels: vec![vec![Node {
                valid: any(),
                expected: vec![any()],
                parents: Vec::new(),
            }]],
            null: false,
            explicit_policy: if inputs.require_explicit_policy {
                0
            } else {
                n1
            },
            inhibit_any_policy: if inputs.inhibit_any_policy { 0 } else { n1 },
            policy_mapping: if inputs.inhibit_policy_mapping { 0 } else { n1 },
            work: 0,
            limit: work_limit,
            user_set: inputs.initial_policy_set.clone(),
        }
    }

    fn spend(&mut self, units: u64) -> Result<(), PolicyError> {
        self.work = self.work.saturating_add(units);
        if self.work > self.limit {
            Err(PolicyError::BudgetExceeded)
        } else {
            Ok(())
        }
    }

    /// §6.1.3 (d)–(f) for certificate `i` (1-based; `n` is the leaf).
    pub fn process_certificate(
        &mut self,
        i: usize,
        n: usize,
        policies: Option<&[Oid]>,
        self_issued: bool,
    ) -> Result<(), PolicyError> {
        match policies {
            Some(policies) if !self.null => {
                let prev = self.levels.last().cloned().unwrap_or_default();
                let mut level: Vec<Node> = Vec::new();
                let mut cert_has_any = false;
                // (d)(1)
                for p in policies {
                    if is_any(p) {
                        cert_has_any = true;
                        continue;
                    }
                    self.spend(prev.len() as u64 + 1)?;
                    let mut parents: Vec<usize> = prev
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| n.expected.contains(p))
                        .map(|(k, _)| k)
                        .collect();
                    if parents.is_empty() {
                        parents = prev
                            .iter()
                            .enumerate()
                            .filter(|(_, n)| is_any(&n.valid))
                            .map(|(k, _)| k)
                            .collect();
                    }
                    if !parents.is_empty() {
                        level.push(Node {
                            valid: p.clone(),
                            expected: vec![p.clone()],
                            parents,
                        });
                    }
                }
                // (d)(2)
                if cert_has_any && (self.inhibit_any_policy > 0 || (i < n && self_issued)) {
                    let mut wanted: BTreeSet<Oid> = BTreeSet::new();
                    for node in &prev {
                        for e in &node.expected {
                            wanted.insert(e.clone());
                        }
                    }
                    self.spend((wanted.len() * prev.len()) as u64)?;
                    for e in wanted {
                        if level.iter().any(|n| n.valid == e) {
                            continue;
                        }
                        let parents: Vec<usize> = prev
                            .iter()
                            .enumerate()
                            .filter(|(_, n)| n.expected.contains(&e))
                            .map(|(k, _)| k)
                            .collect();
                        level.push(Node {
                            valid: e.clone(),
                            expected: vec![e],
                            parents,
                        });
                    }
                }
                self.levels.push(level);
                // (d)(3)
                self.prune()?;
            }
            _ => {
                // (e)
                self.null = true;
            }
        }
        // (f)
        if self.explicit_policy == 0 && self.null {
            return Err(PolicyError::NoAcceptablePolicy { at: i });
        }
        Ok(())
    }

    /// Deletes nodes (other than at the deepest level) without children, level by level.
    fn prune(&mut self) -> Result<(), PolicyError> {
        let depth = self.levels.len();
        for d in (0..depth.saturating_sub(1)).rev() {
            let (upper, lower) = self.levels.split_at_mut(d + 1);
            let here = &mut upper[d];
            let below = &mut lower[0];
            let mut has_child = vec![false; here.len()];
            for n in below.iter() {
                for p in &n.parents {
                    has_child[*p] = true;
                }
            }
            self.work = self
                .work
                .saturating_add(below.len() as u64 + here.len() as u64);
            if has_child.iter().all(|x| *x) {
                continue;
            }
            // Re-index: remove childless nodes and rewrite parents below.
            let mut remap = vec![usize::MAX; here.len()];
            let mut kept = Vec::new();
            for (k, node) in here.drain(..).enumerate() {
                if has_child[k] {
                    remap[k] = kept.len();
                    kept.push(node);
                }
            }
            *here = kept;
            for n in below.iter_mut() {
                n.parents = n
                    .parents
                    .iter()
                    .map(|p| remap[*p])
                    .filter(|p| *p != usize::MAX)
                    .collect();
            }
        }
        if self.work > self.limit {
            return Err(PolicyError::BudgetExceeded);
        }
        if self.levels.last().is_some_and(|l| l.is_empty())
            || self.levels.first().is_some_and(|l| l.is_empty())
        {
            self.null = true;
        }
        Ok(())
    }

    /// §6.1.4 (a), (b): policy mappings of intermediate certificate `i`.
    pub fn process_mappings(
        &mut self,
        i: usize,
        mappings: Option<&[PolicyMapping]>,
    ) -> Result<(), PolicyError> {
        let Some(mappings) = mappings else {
            return Ok(());
        };
        // (a)
        if mappings
            .iter()
            .any(|m| is_any(&m.issuer) || is_any(&m.subject))
        {
            return Err(PolicyError::MapsAnyPolicy { at: i });
        }
        if self.null {
            return Ok(());
        }
        self.spend(mappings.len() as u64)?;
        let mut issuer_domains: Vec<&Oid> = mappings.iter().map(|m| &m.issuer).collect();
        issuer_domains.sort();
        issuer_domains.dedup();
        let depth = self.levels.len() - 1;
        if self.policy_mapping > 0 {
            // (b)(1)
            for idp in issuer_domains {
                let targets: Vec<Oid> = mappings
                    .iter()
                    .filter(|m| &m.issuer == idp)
                    .map(|m| m.subject.clone())
                    .collect();
                let level = &mut self.levels[depth];
                if let Some(node) = level.iter_mut().find(|n| &n.valid == idp) {
                    node.expected = targets;
                } else if let Some(anyn) = level.iter().find(|n| is_any(&n.valid)) {
                    let parents = anyn.parents.clone();
                    level.push(Node {
                        valid: idp.clone(),
                        expected: targets,
                        parents,
                    });
                }
            }
        } else {
            // (b)(2)
            let level = &mut self.levels[depth];
            level.retain(|n| !issuer_domains.contains(&&n.valid));
            self.prune()?;
        }
        Ok(())
    }

    /// §6.1.4 (h)–(j) for a non-leaf certificate.
    pub fn update_intermediate(
        &mut self,
        self_issued: bool,
        require_explicit: Option<u64>,
        inhibit_mapping: Option<u64>,
        inhibit_any: Option<u64>,
    ) {
        // (h)
        if !self_issued {
            self.explicit_policy = self.explicit_policy.saturating_sub(1);
            self.policy_mapping = self.policy_mapping.saturating_sub(1);
            self.inhibit_any_policy = self.inhibit_any_policy.saturating_sub(1);
        }
        // (i)
        if let Some(r) = require_explicit
            && r < self.explicit_policy
        {
            self.explicit_policy = r;
        }
        if let Some(m) = inhibit_mapping
            && m < self.policy_mapping
        {
            self.policy_mapping = m;
        }
        // (j)
        if let Some(a) = inhibit_any
            && a < self.inhibit_any_policy
        {
            self.inhibit_any_policy = a;
        }
    }

    /// §6.1.5 (a), (b), (g): wrap-up after the leaf (certificate `n`).
    pub fn finish(
        mut self,
        n: usize,
        require_explicit: Option<u64>,
    ) -> Result<PolicyOutcome, PolicyError> {
        // (a)
        self.explicit_policy = self.explicit_policy.saturating_sub(1);
        // (b)
        if require_explicit == Some(0) {
            self.explicit_policy = 0;
        }
        let user_any = self.user_set.is_empty() || self.user_set.iter().any(is_any);
        // (g): the authorities-constrained policies reaching the leaf level.
        let result = if self.null {
            None
        } else if user_any {
            Some(self.authorities_constrained()?)
        } else {
            let acs = self.authorities_constrained()?;
            let set: Vec<Oid> = match acs {
                Constrained::Any(mut set) => {
                    // (g)(iii)(3): an anyPolicy path to the leaf admits every user policy.
                    set.extend(self.user_set.iter().cloned());
                    let mut v: Vec<Oid> = set
                        .into_iter()
                        .filter(|p| self.user_set.contains(p))
                        .collect();
                    v.sort();
                    v.dedup();
                    v
                }
                Constrained::Set(set) => set
                    .into_iter()
                    .filter(|p| self.user_set.contains(p))
                    .collect(),
            };
            if set.is_empty() {
                None
            } else {
                Some(Constrained::Set(set))
            }
        };
        match result {
            None if self.explicit_policy == 0 => Err(PolicyError::NoAcceptablePolicy { at: n }),
            None => Ok(PolicyOutcome::NoneRequired),
            Some(Constrained::Any(_)) => Ok(PolicyOutcome::Any),
            Some(Constrained::Set(s)) => Ok(PolicyOutcome::Policies(s)),
        }
    }

    /// For every node, the valid_policy of the first non-anyPolicy node on some path from
    /// the root to it; at the leaf level, the union. anyPolicy all the way down means any.
    fn authorities_constrained(&mut self) -> Result<Constrained, PolicyError> {
        let mut origins: Vec<(bool, BTreeSet<Oid>)> = vec![(true, BTreeSet::new())];
        for d in 1..self.levels.len() {
            let level = &self.levels[d];
            let mut next = Vec::with_capacity(level.len());
            let prev_nodes = &self.levels[d - 1];
            for node in level {
                self.work = self.work.saturating_add(node.parents.len() as u64);
                let mut all_any = false;
                let mut set = BTreeSet::new();
                for p in &node.parents {
                    let (pany, pset) = &origins[*p];
                    if is_any(&node.valid) {
                        all_any |= *pany && is_any(&prev_nodes[*p].valid);
                    } else if *pany && is_any(&prev_nodes[*p].valid) {
                        set.insert(node.valid.clone());
                    }
                    set.extend(pset.iter().cloned());
                }
                next.push((all_any, set));
            }
            if self.work > self.limit {
                return Err(PolicyError::BudgetExceeded);
            }
            origins = next;
        }
        let mut any_path = false;
        let mut set = BTreeSet::new();
        for (a, s) in origins {
            any_path |= a;
            set.extend(s);
        }
        Ok(if any_path {
            Constrained::Any(set)
        } else {
            Constrained::Set(set.into_iter().collect())
        })
    }
}

enum Constrained {
    Any(BTreeSet<Oid>),
    Set(Vec<Oid>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(s: &str) -> Oid {
        Oid::parse(s).unwrap()
    }

    #[test]
    fn simple_policy_chain() {
        let inputs = PolicyInputs {
            initial_policy_set: vec![o("1.2.3")],
            require_explicit_policy: true,
            ..Default::default()
        };
        let mut st = PolicyState::new(2, &inputs, 10_000);
        st.process_certificate(1, 2, Some(&[o("2.5.29.32.0")]), false)
            .unwrap();
        st.update_intermediate(false, None, None, None);
        st.process_certificate(2, 2, Some(&[o("1.2.3")]), false)
            .unwrap();
        assert_eq!(
            st.finish(2, None).unwrap(),
            PolicyOutcome::Policies(vec![o("1.2.3")])
        );
    }

    #[test]
    fn mapping_and_inhibit() {
        let maps = [PolicyMapping {
            issuer: o("1.1"),
            subject: o("1.2"),
        }];
        let run = |inhibit: bool| {
            let inputs = PolicyInputs {
                initial_policy_set: vec![o("1.1")],
                require_explicit_policy: true,
                inhibit_policy_mapping: inhibit,
                ..Default::default()
            };
            let mut st = PolicyState::new(2, &inputs, 10_000);
            st.process_certificate(1, 2, Some(&[o("2.5.29.32.0")]), false)?;
            st.process_mappings(1, Some(&maps))?;
            st.update_intermediate(false, None, None, None);
            st.process_certificate(2, 2, Some(&[o("1.2")]), false)?;
            st.finish(2, None)
        };
        assert_eq!(run(false).unwrap(), PolicyOutcome::Policies(vec![o("1.1")]));
        assert!(matches!(
            run(true),
            Err(PolicyError::NoAcceptablePolicy { .. })
        ));
    }

    #[test]
    fn no_policies_not_required() {
        let mut st = PolicyState::new(1, &PolicyInputs::default(), 10_000);
        st.process_certificate(1, 1, None, false).unwrap();
        assert_eq!(st.finish(1, None).unwrap(), PolicyOutcome::NoneRequired);
    }
}
