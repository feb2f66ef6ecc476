//! Resident memory and CPU time of the bench process, read from /proc (Linux; `None` elsewhere): the
//! figures the issues' memory goals are stated in.

/// A line of /proc/self/status, in KiB.
pub fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Resets the peak RSS to the current one and returns it (KiB), where the system allows it.
pub fn reset_peak_rss() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    status_kib("VmRSS:")
}

/// The process's peak RSS so far (KiB).
pub fn peak_rss() -> Option<u64> {
    status_kib("VmHWM:")
}

/// The process's user + system CPU time so far, all threads (Linux: /proc/self/stat, in the
/// kernel's clock ticks of 1/100 s).
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    // utime and stime: fields 14 and 15 of the line, 11 and 12 (from 0) after the name.
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}

/// The calling thread's time on a CPU so far, in seconds (Linux: /proc/thread-self/schedstat,
/// in nanoseconds). On a shared virtual machine this moves far less than the wall clock, whose
/// runs differ by a fifth as other guests take the cores: the import's main thread is its
/// critical path, so this is what a change to it is compared by.
pub fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}
