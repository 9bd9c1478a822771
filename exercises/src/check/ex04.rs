//! Module 04: digests and deltas, alone and as the sheet's challenge.

mod exact;

use super::property::for_all;
use super::scenario::{cluster, secs, views};
use super::{Check, Figures, Subject};
use gossip_node::core::digest::Digest;
use gossip_node::core::store::{Entry, Store};
use gossip_node::core::version::NodeId;
use gossip_node::sim::{Network, SimStage};
use gossip_node::story::{play, sheet_challenge};
use proptest::strategy::Strategy;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cell::Cell;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "a digest lists each key's version in its range, and no values",
            run: digest_matches,
        },
        Check {
            name: "one exchange makes two stores equal",
            run: one_exchange_reconciles,
        },
        Check {
            name: "two stores that agree exchange nothing but the digest",
            run: nothing_when_equal,
        },
        Check {
            name: "a ranged exchange sends exactly what the peer lacks, asks for exactly what it holds newer, and nothing outside the range",
            run: exact::exact_difference,
        },
        Check {
            name: "a big store is compared range by range, every key once",
            run: ranges_cover_everything,
        },
        Check {
            name: "the sheet's challenge: node 3 catches up after a restart",
            run: restarted_node_catches_up,
        },
        Check {
            name: "with 30 % loss and rumors hot for one round only, anti-entropy brings every write to all 8 nodes",
            run: loss_is_repaired,
        },
    ]
}

/// A store of up to `keys` random writes, with small versions so stores collide.
fn random_store(rng: &mut StdRng, keys: usize) -> Store {
    let writes: Vec<(usize, u64, u64)> = (0..rng.random_range(0..=keys))
        .map(|_| {
            let key = rng.random_range(0..keys);
            (key, rng.random_range(1..5), rng.random_range(1..4))
        })
        .collect();
    store_of(&writes)
}

fn describe(store: &Store) -> String {
    let shown: Vec<String> = store
        .entries()
        .iter()
        .map(|(k, e)| format!("{k}=v{}@{}", e.version, e.origin))
        .collect();
    format!("{{{}}}", shown.join(", "))
}

fn digest_matches(s: &Subject) -> Result<Figures, String> {
    let mut rng = StdRng::seed_from_u64(41);
    for _ in 0..200 {
        let store = random_store(&mut rng, 12);
        let keys: Vec<&String> = store.entries().keys().collect();
        let after = (rng.random_bool(0.5) && !keys.is_empty())
            .then(|| keys[rng.random_range(0..keys.len())].as_str());
        let max = rng.random_range(1..8);
        let yours = s.pieces.digest(&store, after, max);
        let expected = gossip_node::core::digest::digest(&store, after, max);
        if yours.versions != expected.versions {
            return Err(format!(
                "for the store {} after {after:?}, at most {max} keys, the digest lists {:?}; \
                 it should list {:?}.\n{}",
                describe(&store),
                yours.versions,
                expected.versions,
                listing_fault(after, max, &yours, &expected)
            ));
        }
        if (yours.first.clone(), yours.last.clone())
            != (expected.first.clone(), expected.last.clone())
        {
            return Err(format!(
                "for the store {} after {after:?}, at most {max} keys, the digest says it covers \
                 {:?} to {:?}; it should say {:?} to {:?}.\n{}",
                describe(&store),
                yours.first,
                yours.last,
                expected.first,
                expected.last,
                range_fault(after, &yours, &expected)
            ));
        }
    }
    Ok(vec![("random stores digested".into(), "200".into())])
}

/// Why a digest lists the wrong keys, in protocol terms.
fn listing_fault(after: Option<&str>, max: usize, yours: &Digest, expected: &Digest) -> String {
    let (listed, wanted) = (yours.versions.len(), expected.versions.len());
    let before = |a: &str| yours.versions.keys().find(|k| k.as_str() < a).cloned();
    if let Some((a, key)) = after.and_then(|a| before(a).map(|k| (a, k))) {
        format!(
            "It lists {key}, a key before `after` ({a}): the range starts just after `after`. A \
             digest that ignores `after` compares the same first keys every time, and never the \
             keys after them."
        )
    } else if let Some(a) = after.filter(|a| yours.versions.contains_key(*a)) {
        format!(
            "It lists `after` ({a}) itself: the previous range already covered it; start just \
             after it, or every range repeats a key."
        )
    } else if listed > max {
        format!(
            "It lists {listed} keys, more than max_keys = {max}: a big store's digest in one \
             piece does not fit in one message, which is why stores are compared range by range."
        )
    } else if yours.versions.keys().eq(expected.versions.keys()) {
        "The keys are right but a version is not: list each key's (entry.version, entry.origin)."
            .to_owned()
    } else if listed < wanted {
        format!(
            "It stops early: take the next max_keys = {max} keys after `after`, or as many as \
             the store holds there; a key left out is never compared."
        )
    } else {
        "It lists keys outside its range: start just after `after` and take the next keys in \
         order."
            .to_owned()
    }
}

/// Why a digest names the wrong range, in protocol terms.
fn range_fault(after: Option<&str>, yours: &Digest, expected: &Digest) -> String {
    if yours.first != expected.first {
        let itself = if after.is_some() && yours.first.as_deref() == after {
            ", not `after` itself: the previous range covered that key"
        } else {
            ""
        };
        return format!(
            "`first` is `after` followed by '\\0' (the smallest key after it), or None from the \
             start{itself}."
        );
    }
    match (&yours.last, &expected.last) {
        (Some(_), None) => "`last` is None when no key is left: a range that never reaches the \
             end leaves every key the peer holds after it uncompared."
            .to_owned(),
        (None, Some(last)) => format!(
            "`last` is the last key listed ({last}) when the store holds more keys: with None \
             the range runs to the end, and the peer thinks this node lacks every key after it."
        ),
        (_, last) => format!(
            "`last` is the last key listed ({}), when more keys follow: a range that ends \
             elsewhere claims keys the digest does not list, or leaves out keys it does.",
            last.as_deref().unwrap_or("none")
        ),
    }
}

/// A sends its digest; B answers with what A lacks and asks for what it
/// lacks; A sends those. Returns the two stores after, and the entries sent.
fn exchange(s: &Subject, a: &Store, b: &Store) -> (Store, Store, usize) {
    let (mut a, mut b) = (a.clone(), b.clone());
    let digest = s.pieces.digest(&a, None, usize::MAX);
    let difference = s.pieces.compare(&b, &digest);
    let wanted: Vec<(String, Entry)> = difference
        .we_lack
        .iter()
        .filter_map(|k| a.get(k).map(|e| (k.clone(), e.clone())))
        .collect();
    let sent = difference.they_lack.len() + wanted.len();
    for (key, entry) in &difference.they_lack {
        a.merge(key, entry);
    }
    for (key, entry) in &wanted {
        b.merge(key, entry);
    }
    (a, b, sent)
}

/// Two stores of up to 10 writes each: the pairs one exchange must reconcile.
fn store_pairs() -> impl Strategy<Value = (Store, Store)> {
    let writes = || proptest::collection::vec((0..10usize, 1..5u64, 1..4u64), 0..=10);
    (writes(), writes()).prop_map(|(a, b)| (store_of(&a), store_of(&b)))
}

/// A store holding these writes: (key number, version, origin). One write,
/// one stamp: the value follows from the key and the stamp.
fn store_of(writes: &[(usize, u64, u64)]) -> Store {
    let mut store = Store::default();
    for &(key, version, origin) in writes {
        let key = format!("k{key:02}");
        let entry = Entry {
            value: format!("{key}={version}@{origin}"),
            version,
            origin: NodeId(origin),
        };
        store.merge(&key, &entry);
    }
    store
}

fn one_exchange_reconciles(s: &Subject) -> Result<Figures, String> {
    let (cases, sent) = (Cell::new(0u32), Cell::new(0usize));
    for_all(300, store_pairs(), |(a, b)| {
        let (a2, b2, n) = exchange(s, &a, &b);
        cases.set(cases.get() + 1);
        sent.set(sent.get() + n);
        if a2.entries() != b2.entries() {
            return Err(format!(
                "A = {} and B = {} still differ after one exchange:\nA became {}, B became {}.\n\
                 B must send every entry A lacks or holds older, and ask for every key A holds newer.",
                describe(&a),
                describe(&b),
                describe(&a2),
                describe(&b2)
            ));
        }
        Ok(())
    })?;
    Ok(vec![
        ("random pairs of stores".into(), cases.get().to_string()),
        (
            "entries sent per exchange, on average".into(),
            format!("{:.1}", sent.get() as f64 / f64::from(cases.get().max(1))),
        ),
    ])
}

fn nothing_when_equal(s: &Subject) -> Result<Figures, String> {
    for_all(100, store_pairs(), |(a, _)| {
        let difference = s.pieces.compare(&a, &s.pieces.digest(&a, None, usize::MAX));
        if !difference.they_lack.is_empty() || !difference.we_lack.is_empty() {
            return Err(format!(
                "two copies of {} would still send {} entries and ask for {:?}: a converged \
                 cluster would keep shipping its whole store.",
                describe(&a),
                difference.they_lack.len(),
                difference.we_lack
            ));
        }
        Ok(())
    })?;
    Ok(vec![])
}

fn ranges_cover_everything(s: &Subject) -> Result<Figures, String> {
    let mut store = Store::default();
    for i in 0..25 {
        let entry = Entry {
            value: "x".into(),
            version: 1,
            origin: NodeId(1),
        };
        store.merge(&format!("key{i:02}"), &entry);
    }
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    for exchanges in 1..=10 {
        let digest = s.pieces.digest(&store, after.as_deref(), 10);
        seen.extend(digest.versions.keys().cloned());
        match digest.last {
            None => {
                let all: Vec<String> = store.entries().keys().cloned().collect();
                return if seen == all {
                    Ok(vec![(
                        "exchanges for 25 keys, 10 a digest".into(),
                        exchanges.to_string(),
                    )])
                } else {
                    Err(format!(
                        "the ranges covered {seen:?}; every key once, in order, was expected"
                    ))
                };
            }
            Some(last) => after = Some(last),
        }
    }
    Err(
        "after 10 digests of 10 keys, a 25-key store was still not covered: \
         `last` must be None once the store's keys run out"
            .into(),
    )
}

/// The sheet's challenge (`gossip_node::story::sheet_challenge`, the story
/// the live tests play too) with your digest and compare.
fn restarted_node_catches_up(s: &Subject) -> Result<Figures, String> {
    let pieces = s.pieces.clone();
    let mut stage = SimStage::new(21, move |c| {
        c.pieces = pieces.clone();
        c.anti_entropy = Some(Duration::from_secs(1));
    });
    match play(&sheet_challenge(true), &mut stage) {
        Ok(played) => {
            let took = played.took.last().copied().flatten().unwrap_or_default();
            Ok(vec![("node 3 caught up after".into(), secs(took))])
        }
        Err(failure) => {
            let views = stage
                .network()
                .map(|net| views(net, 4, "news"))
                .unwrap_or_default();
            Err(format!(
                "{failure}\nnode 3 never received key `news` from anti-entropy ({views}).\n\
                 When node 3 sends its digest, the peer's compare must put `news` in they_lack; \
                 when a peer sends its digest, node 3's compare must put it in we_lack."
            ))
        }
    }
}

/// The lossy cluster: 8 nodes, 30 % of messages lost, and rumors that stay
/// hot for one round only, so that rumors alone leave gaps.
const LOSSY_NODES: u64 = 8;
const LOSSY_WRITES: u64 = 10;

/// The (node, write) pairs still missing: node `id` lacks `key{i}`.
fn missing(net: &Network) -> Vec<(u64, u64)> {
    (0..LOSSY_WRITES)
        .flat_map(|i| (1..=LOSSY_NODES).map(move |id| (id, i)))
        .filter(|(id, i)| net.value(*id, &format!("key{i}")).is_none())
        .collect()
}

/// Ten writes on the lossy cluster, then up to 60 s: when every node held
/// every write, what is still missing, and how many messages were lost.
fn lossy_run(
    s: &Subject,
    anti_entropy: Option<Duration>,
) -> (Option<Duration>, Vec<(u64, u64)>, u64) {
    let mut net = cluster(22, LOSSY_NODES, &s.pieces, |c| {
        c.anti_entropy = anti_entropy;
        c.rumor_k = 1;
    });
    net.set_loss(0.3);
    net.run_for(Duration::from_secs(2));
    for i in 0..LOSSY_WRITES {
        net.update(1 + i % LOSSY_NODES, &format!("key{i}"), "value");
        net.run_for(Duration::from_millis(300));
    }
    let took = net.run_until(Duration::from_secs(60), |net| missing(net).is_empty());
    (took, missing(&net), net.stats.lost)
}

fn loss_is_repaired(s: &Subject) -> Result<Figures, String> {
    let copies = LOSSY_NODES * LOSSY_WRITES;
    let (_, gaps, _) = lossy_run(s, None);
    let alone = format!("{} of {copies} copies missing after 60 s", gaps.len());
    let (took, left, lost) = lossy_run(s, Some(Duration::from_secs(2)));
    match took {
        Some(t) => Ok(vec![
            ("rumors alone".into(), alone),
            (
                "with anti-entropy, every write on all 8 nodes after".into(),
                secs(t),
            ),
            ("messages lost".into(), lost.to_string()),
        ]),
        None => {
            let shown: Vec<String> = left
                .iter()
                .take(5)
                .map(|(id, i)| format!("node {id} lacks key{i}"))
                .collect();
            Err(format!(
                "after 60 s with 30 % loss, {} of {copies} copies are still missing: {}.\n\
                 Rumors hot for one round die out before reaching everyone (rumors alone: {alone}); \
                 the anti-entropy exchanges every 2 s must repair what they left behind. Does \
                 compare put what the peer lacks in they_lack, and what it holds newer in we_lack?",
                left.len(),
                shown.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::{Code, Source};

    #[test]
    fn the_lossy_cluster_needs_anti_entropy() {
        let s = Subject::new(Source::Solutions, Code::REFERENCE, 4);
        let (took, gaps, _) = lossy_run(&s, None);
        assert!(took.is_none() && gaps.len() >= 3, "rumors alone: {gaps:?}");
        assert!(lossy_run(&s, Some(Duration::from_secs(2))).0.is_some());
    }
}
