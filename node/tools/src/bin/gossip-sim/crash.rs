//! `gossip-sim crash`: the full protocol at up to 10,000 nodes; one write,
//! one crash, and how long until everyone agrees on both.

use crate::progress;
use gossip_node::core::swim::ProbeOrder;
use gossip_node::sim::detection::{crash_detection, Conditions};
use gossip_node::sim::Latency;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Cluster size (3 to 10,000).
    #[arg(long, default_value_t = 1_000)]
    nodes: u64,
    /// round-robin or random probe targets.
    #[arg(long, default_value = "round-robin")]
    probe_order: ProbeOrder,
    /// Anti-entropy period in seconds (it repairs what rumor mongering
    /// leaves behind); 0 for none.
    #[arg(long, default_value_t = 5)]
    anti_entropy: u64,
    /// Probability that a message is lost.
    #[arg(long, default_value_t = 0.0)]
    loss: f64,
    /// Message latency: 1 to 10 ms uniformly, or with this many ms of mean
    /// exponential extra delay (a long tail) on top of 1 ms.
    #[arg(long, value_name = "MS")]
    tail_ms: Option<u64>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> ExitCode {
    if !(3..=10_000).contains(&args.nodes) {
        eprintln!("gossip-sim: a crash scenario needs 3 to 10,000 nodes");
        return ExitCode::from(2);
    }
    if !(0.0..0.9).contains(&args.loss) {
        eprintln!("gossip-sim: --loss must be at least 0 and below 0.9");
        return ExitCode::from(2);
    }
    let mut conditions = Conditions {
        loss: args.loss,
        ..Conditions::default()
    };
    if let Some(ms) = args.tail_ms {
        conditions.latency = Latency::Exponential {
            min: Duration::from_millis(1),
            mean_extra: Duration::from_millis(ms),
        };
    }
    if !args.json {
        println!(
            "{} nodes, each knowing every other; SWIM {}, 1 s period; \
             anti-entropy {}; a write on node 1 and a crash, at the same moment",
            args.nodes,
            args.probe_order,
            match args.anti_entropy {
                0 => "off".to_owned(),
                s => format!("every {s} s"),
            }
        );
    }
    let bar = progress::bar(120, "virtual s", args.json);
    let run = crash_detection(
        args.nodes,
        args.seed,
        conditions,
        |config| {
            config.swim.probe_order = args.probe_order;
            if args.anti_entropy > 0 {
                config.anti_entropy = Some(Duration::from_secs(args.anti_entropy));
            }
        },
        |p| bar.set_position(p.virtual_now.as_secs()),
    );
    bar.finish_and_clear();
    if args.json {
        let mut json = serde_json::to_value(&run).expect("a run encodes");
        json["peak_rss_bytes"] = gossip_tools::procfs::own_peak_rss().into();
        println!("{json}");
        return ExitCode::SUCCESS;
    }
    let seconds = |s: Option<f64>| s.map_or("never (120 s)".to_owned(), |s| format!("{s:.2} s"));
    println!("node {} crashed", run.victim);
    println!(
        "  first suspected after      {}",
        seconds(run.first_suspicion_s)
    );
    println!("  dead in every view after   {}", seconds(run.all_dead_s));
    println!(
        "  the write everywhere after {}",
        seconds(run.write_everywhere_s)
    );
    println!(
        "  {} messages ({:.2} per node per period), {:.1} MB",
        run.messages,
        run.messages_per_node_period,
        run.bytes as f64 / 1e6
    );
    let memory = gossip_tools::procfs::own_peak_rss()
        .map(|b| format!(", peak memory {:.2} GB", b as f64 / 1e9))
        .unwrap_or_default();
    println!(
        "  wall time: {:.1} s to build the cluster, {:.1} s to run it{memory}",
        run.wall_setup_s, run.wall_run_s
    );
    ExitCode::SUCCESS
}
