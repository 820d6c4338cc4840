//! `callwarden-cli`: the headless front door to Callwarden (automation, tests, benchmarks).
//!
//! Each command group lives in its own module; `main` only dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod phone_cmd;
mod sip_cmd;
mod trust_cmd;
mod vault_cmd;

#[derive(Parser)]
#[command(name = "callwarden-cli", version, about = "Callwarden softphone, headless")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Register an account at its registrar (then unregister).
    Register(phone_cmd::RegisterArgs),
    /// Call a number or SIP address.
    Call(phone_cmd::CallArgs),
    /// Wait for incoming calls and answer or decline them.
    Answer(phone_cmd::AnswerArgs),
    /// SIP message tools.
    #[command(subcommand)]
    Sip(sip_cmd::SipCommand),
    /// Caller trust: the STIR/SHAKEN, RCD and reputation verdict for an INVITE.
    #[command(subcommand)]
    Trust(trust_cmd::TrustCommand),
    /// The encrypted call log: init, list, export, verify.
    Vault(vault_cmd::VaultArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Register(args) => phone_cmd::register(args),
        Command::Call(args) => phone_cmd::call(args),
        Command::Answer(args) => phone_cmd::answer(args),
        Command::Sip(cmd) => sip_cmd::run(cmd),
        Command::Trust(cmd) => trust_cmd::run(cmd),
        Command::Vault(args) => vault_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
