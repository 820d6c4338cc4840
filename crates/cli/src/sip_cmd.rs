//! `callwarden-cli sip ...`: message tools over `sip-types`.

use std::process::ExitCode;

use clap::Subcommand;

/// SIP subcommands.
#[derive(Subcommand)]
pub enum SipCommand {
    /// Parse a SIP message from FILE (or `-` for stdin) and print a JSON summary.
    Parse {
        /// Path of the message, or `-` for standard input.
        file: String,
    },
}

pub fn run(cmd: SipCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SipCommand::Parse { file } => {
            anyhow::bail!("sip parse {file}: the parser is being built (issue 2)")
        }
    }
}
