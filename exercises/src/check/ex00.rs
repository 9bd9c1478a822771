//! Module 00: your predictions against what the protocol does. Each check
//! plays the sheet's micro-challenge (the one story the live tests play too,
//! `gossip_node::story::sheet_challenge`) on a simulated four-node cluster
//! running the reference (the same code as `make run`) and compares.

use super::scenario::{cluster, secs, views};
use super::{Check, Figures, Subject};
use crate::tour::Messenger;
use gossip_node::core::event::{Cause, Event};
use gossip_node::core::version::NodeId;
use gossip_node::sim::SimStage;
use gossip_node::story::{play, sheet_challenge, Expect, Failure, Played};
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "node 4 gets the update while node 3 is down",
            run: node_4_gets_it,
        },
        Check {
            name: "you know who brings it to node 4",
            run: who_tells_node_4,
        },
        Check {
            name: "a restarted node 3 does (or does not) catch up",
            run: restart,
        },
        Check {
            name: "rounds for an update to reach all four",
            run: rounds,
        },
    ]
}

/// The sheet's micro-challenge (`gossip_node::story::sheet_challenge`),
/// played on the simulator with `seed`: how the story went, and the stage.
fn micro_challenge(seed: u64) -> (Result<Played, Failure>, SimStage) {
    let mut stage = SimStage::new(seed, |_| {});
    (play(&sheet_challenge(false), &mut stage), stage)
}

/// When node 4 held the update after it was written, and who told it.
fn node_4_heard(seed: u64) -> (Option<Duration>, Option<NodeId>) {
    let story = sheet_challenge(false);
    let at = story
        .step_where(|e| matches!(e, Expect::Holds { node: 4, .. }))
        .expect("the story waits for node 4");
    let (result, stage) = micro_challenge(seed);
    let played = result.unwrap_or_else(|failure| failure.played);
    let took = played.took.get(at).copied().flatten();
    let Some(net) = stage.network() else {
        return (took, None);
    };
    let written = net
        .events()
        .iter()
        .find_map(|(at, node, event)| match event {
            Event::EntryChanged {
                cause: Cause::Client,
                key,
                ..
            } if *node == NodeId(1) && key == "news" => Some(*at),
            _ => None,
        });
    let teller = net
        .events()
        .iter()
        .find_map(|(at, node, event)| match event {
            Event::MessageReceived { from, new, .. }
                if *node == NodeId(4)
                    && Some(*at) >= written
                    && new.iter().any(|c| c.key == "news") =>
            {
                Some(*from)
            }
            _ => None,
        });
    (took, teller)
}

fn node_4_gets_it(subject: &Subject) -> Result<Figures, String> {
    let (took, _) = node_4_heard(1);
    let answer = (subject.code.node_4_gets_the_update)();
    match (took, answer) {
        (Some(t), true) => Ok(vec![("node 4 held it after".into(), secs(t))]),
        (Some(t), false) => Err(format!(
            "you answered no, but node 4 held the update {} after it was written.\n\
             Node 1 pushes it to 2 random peers every round; whoever hears it passes it on.\n\
             Gossip needs no fixed path, so one dead node does not cut anyone off.",
            secs(t)
        )),
        (None, answer) => Err(format!(
            "in the simulation node 4 never got it (you answered {answer}); that should not happen: \
             please tell the instructor"
        )),
    }
}

fn who_tells_node_4(subject: &Subject) -> Result<Figures, String> {
    let answer = (subject.code.who_tells_node_4)();
    let tellers: Vec<String> = (1..=20)
        .filter_map(|seed| node_4_heard(seed).1)
        .map(|id| id.to_string())
        .collect();
    let shown = format!("over 20 runs: nodes {}", tellers.join(", "));
    if answer == Messenger::Node1OrNode2 {
        Ok(vec![("who told node 4".into(), shown)])
    } else {
        let why = match answer {
            Messenger::Nobody => {
                "An update does not stay on the node it was written to: every node that hears \
                 it passes it on to random peers while it is hot, node 4 among them."
            }
            _ => {
                "Node 3 is down, so it cannot be node 3: any informed node can pick node 4 at \
                 random."
            }
        };
        Err(format!(
            "you answered {answer:?}; in 20 simulated runs node 4 first heard it from {}.\n{why}",
            tellers.join(", ")
        ))
    }
}

fn restart(subject: &Subject) -> Result<Figures, String> {
    let (result, stage) = micro_challenge(7);
    let net = stage.network().ok_or("the simulation did not start")?;
    let caught_up = net.value(3, "news").is_some();
    if let Err(failure) = &result {
        // The story ends holding that node 3 lacks the old news; it may fail
        // only there, and only by node 3 holding it.
        let last = failure.story.steps.len() - 1;
        if failure.step != last || !caught_up {
            return Err(format!(
                "the simulation went wrong: please tell the instructor\n{failure}"
            ));
        }
    }
    let answer = (subject.code.restarted_node_3_catches_up)();
    if answer == caught_up {
        Ok(vec![("after the restart".into(), views(net, 4, "news"))])
    } else if caught_up {
        Err("you answered no, but node 3 caught up: please tell the instructor".into())
    } else {
        Err(format!(
            "you answered yes, but after its restart node 3 rejoins and hears fresh news, yet \
             still lacks the update ({}).\n\
             Rumors are spread only while hot (4 rounds by default); a node that was away when \
             the rumor went round never hears it. Exercise 04 (anti-entropy) repairs this.",
            views(net, 4, "news")
        ))
    }
}

fn rounds(subject: &Subject) -> Result<Figures, String> {
    let runs = 400;
    let mut total = 0.0;
    for seed in 0..runs {
        let mut net = cluster(100 + seed, 4, &Default::default(), |_| {});
        net.run_for(Duration::from_millis(2500));
        net.update(1, "news", "hello");
        let took = net
            .run_until(Duration::from_secs(30), |net| {
                (1..=4).all(|id| net.value(id, "news").is_some())
            })
            .ok_or("the update did not reach all four in 30 s")?;
        // Gossip rounds are 1 s apart: count the rounds that went by.
        total += took.as_secs_f64().ceil();
    }
    let mean = total / runs as f64;
    let answer = (subject.code.rounds_to_reach_all_four)() as f64;
    let figures = vec![(
        "measured mean over 400 runs".into(),
        format!("{mean:.2} rounds"),
    )];
    if (answer - mean).abs() <= 1.0 {
        Ok(figures)
    } else {
        Err(format!(
            "you said {answer} rounds; 400 simulated runs took {mean:.2} on average.\n\
             Round 1: node 1 tells 2 of the 3 others. Round 2: three informed nodes send 6 pushes \
             at the last one's 1-in-3 chance each."
        ))
    }
}
