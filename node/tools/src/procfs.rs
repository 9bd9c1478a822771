//! What Linux says about a process, read from `/proc`: resident memory, its
//! peak, and CPU time. Used by `gossip-sim` to report its own peak memory and
//! by the benchmark to weigh the nodes it starts. Elsewhere these read `None`.

use std::time::Duration;

/// Clock ticks per second of `/proc/<pid>/stat`'s CPU times (USER_HZ, 100 on
/// every Linux the workshop runs on).
const TICKS_PER_SECOND: f64 = 100.0;

/// A `kB` field of `/proc/<pid>/status`, in bytes.
fn status_bytes(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Resident memory of process `pid` now.
pub fn rss(pid: u32) -> Option<u64> {
    status_bytes(&pid.to_string(), "VmRSS:")
}

/// The most resident memory this process has used so far.
pub fn own_peak_rss() -> Option<u64> {
    status_bytes("self", "VmHWM:")
}

/// CPU time (user + system) process `pid` has used so far.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count from its closing ')'.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the line (utime, stime) are 12 and 13 after the name.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_secs_f64(
        (utime + stime) as f64 / TICKS_PER_SECOND,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn this_process_has_memory_and_cpu_time() {
        let me = std::process::id();
        let rss = rss(me).expect("VmRSS is readable");
        assert!(rss > 100 * 1024, "rss {rss}");
        assert!(own_peak_rss().expect("VmHWM is readable") >= rss / 2);
        let spin = std::time::Instant::now();
        while spin.elapsed() < Duration::from_millis(50) {}
        assert!(cpu_time(me).expect("stat is readable") > Duration::ZERO);
    }

    #[test]
    fn a_process_that_does_not_exist_reads_none() {
        assert_eq!(rss(u32::MAX), None);
        assert_eq!(cpu_time(u32::MAX), None);
    }
}
