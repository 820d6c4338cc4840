//! `callwarden-cli sip ...`: message tools over `sip-types`.

use std::io::Read;
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;
use sip_types::{Message, ParseError};

/// SIP subcommands.
#[derive(Subcommand)]
pub enum SipCommand {
    /// Parse a SIP message from FILE (or `-` for stdin) and print a JSON summary.
    Parse {
        /// Path of the message, or `-` for standard input.
        file: String,
    },
}

/// Runs a SIP subcommand.
pub fn run(cmd: SipCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SipCommand::Parse { file } => parse(&file),
    }
}

/// The JSON summary printed for a parsed message.
#[derive(Serialize)]
struct Summary {
    kind: &'static str,
    method: Option<String>,
    status: Option<u16>,
    request_uri: Option<String>,
    header_count: usize,
    call_id: Option<String>,
    cseq: Option<CSeqSummary>,
    via_count: usize,
    body_length: usize,
}

#[derive(Serialize)]
struct CSeqSummary {
    seq: u32,
    method: String,
}

fn parse(file: &str) -> anyhow::Result<ExitCode> {
    let input = read_input(file)?;
    match Message::parse(&input).and_then(|m| summarize(&m)) {
        Ok(summary) => {
            println!("{}", serde_json::to_string(&summary)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("error: {err}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn read_input(file: &str) -> anyhow::Result<Vec<u8>> {
    let mut input = Vec::new();
    if file == "-" {
        std::io::stdin().read_to_end(&mut input)?;
    } else {
        input = std::fs::read(file).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    }
    Ok(input)
}

fn summarize(msg: &Message) -> Result<Summary, ParseError> {
    let headers = msg.headers();
    let cseq = headers.cseq()?;
    let (kind, method, status, request_uri) = match msg {
        Message::Request(r) => {
            ("request", Some(r.method.to_string()), None, Some(r.uri.to_string()))
        }
        Message::Response(r) => ("response", None, Some(r.status.code()), None),
    };
    Ok(Summary {
        kind,
        method,
        status,
        request_uri,
        header_count: headers.len(),
        call_id: Some(headers.call_id()?.to_string()),
        cseq: Some(CSeqSummary { seq: cseq.seq, method: cseq.method.to_string() }),
        via_count: headers.via()?.len(),
        body_length: msg.body().len(),
    })
}
