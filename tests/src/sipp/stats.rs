//! The outcome of a sipp run, read from its `-trace_stat` CSV file.

/// What a finished sipp run reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SippOutcome {
    /// sipp's exit code: 0 all calls succeeded, 1 some failed, 97 stopped by command, 99 no
    /// call processed, 255 fatal error; `None` if killed by a signal.
    pub exit_code: Option<i32>,
    /// Calls that reached the end of the scenario.
    pub successful: u64,
    /// Calls that failed (unexpected message, timeout, ...).
    pub failed: u64,
    /// Calls created.
    pub created: u64,
    /// The tail of sipp's error trace (`-trace_err`), for assertions' messages.
    pub errors: String,
    /// Every message sent and received (`-trace_msg`; empty when tracing was off).
    pub messages: String,
}

impl SippOutcome {
    /// True when sipp exited 0 with at least one successful and no failed call.
    pub fn all_succeeded(&self) -> bool {
        self.exit_code == Some(0) && self.successful > 0 && self.failed == 0
    }
}

/// The cumulative counters of the last row of a sipp statistics CSV: (created, successful,
/// failed). `None` if the file has no data row or lacks the columns.
pub(super) fn parse_stat_csv(text: &str) -> Option<(u64, u64, u64)> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let (first, rest) = lines.split_first()?;
    let header: Vec<&str> = first.split(';').collect();
    let last: Vec<&str> = rest.last()?.split(';').collect();
    let column = |name: &str| -> Option<u64> {
        let i = header.iter().position(|h| h.trim() == name)?;
        last.get(i)?.trim().parse().ok()
    };
    Some((column("TotalCallCreated")?, column("SuccessfulCall(C)")?, column("FailedCall(C)")?))
}

#[cfg(test)]
mod tests {
    use super::parse_stat_csv;

    #[test]
    fn the_last_row_counts() {
        let csv = "StartTime;TotalCallCreated;SuccessfulCall(C);FailedCall(C);\n\
                   a;1;0;0;\nb;3;2;1;\n";
        assert_eq!(parse_stat_csv(csv), Some((3, 2, 1)));
        assert_eq!(parse_stat_csv("StartTime;\n"), None);
    }
}
