//! `callwarden-cli vault ...`: the encrypted call log from the command line.
//!
//! Every command opens the vault with the key from the OS keyring. Commands that read or write
//! personal data unlock with a passkey first; `export` also needs a step-up ceremony. `verify`
//! checks the file's page authentication and the audit chain without unlocking (the trail holds
//! no personal data).
//!
//! Passkeys live on a FIDO2 security key (`--authenticator usb`, the default; `nfc` and `any`
//! where compiled in). Its PIN is read from the terminal without echo, or from
//! `CALLWARDEN_KEY_PIN` for scripted use (any process of the same user can read another's
//! environment, so keep that to test rigs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use store::{Direction, DisplayName, ExportFormat, NewCall, PhoneNumber, TimeRange, Timestamp};
use vault::{
    Authenticator, KeyPrompt, KeyringEntry, LockedVault, Opened, Pin, RiskyAction, UnlockedVault,
    Vault,
};

/// Where the vault lives and how to reach its key and passkey.
#[derive(Args)]
pub struct VaultArgs {
    /// Data directory holding vault.db (default: $XDG_DATA_HOME/callwarden).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Keyring account the vault key is stored under.
    #[arg(long, global = true, default_value = "default")]
    account: String,
    /// Authenticator for passkey ceremonies: a security key on `usb`, `nfc` or `any` transport
    /// (`soft:PATH` exists only in test builds).
    #[arg(long, global = true, default_value = "usb")]
    authenticator: String,
    #[command(subcommand)]
    command: VaultCommand,
}

/// Vault subcommands.
#[derive(Subcommand)]
enum VaultCommand {
    /// First run: create the key and the vault, enrol a passkey.
    Init {
        /// A name for the passkey.
        #[arg(long, default_value = "security key")]
        label: String,
    },
    /// Record one call (automation and tests).
    AddCall(CallArgs),
    /// Record `count` calls one by one, printing `committed ID` after each commit.
    AddCalls {
        /// How many calls (0 = until killed).
        #[arg(long, default_value_t = 0)]
        count: u64,
    },
    /// List the most recent calls (or those with one number).
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only calls with this number.
        #[arg(long)]
        number: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Export calls in [from, to) (milliseconds since the epoch); needs a passkey step-up.
    Export {
        /// Start (inclusive), ms since the epoch.
        #[arg(long)]
        from: i64,
        /// End (exclusive), ms since the epoch.
        #[arg(long)]
        to: i64,
        /// File format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Output file (`-` for stdout).
        #[arg(long, default_value = "-")]
        out: PathBuf,
    },
    /// Queue a "report suspicious call" in the outbox.
    Report {
        /// The call's id in the log.
        #[arg(long)]
        call: i64,
    },
    /// Check page authentication and the audit chain; names the first broken link.
    Verify,
    /// Print the audit trail as JSON lines.
    Audit,
    /// Admin recovery: remove every passkey so the next `init` enrols new ones.
    ResetPasskeys {
        /// Required: this cannot be undone.
        #[arg(long)]
        confirm: bool,
    },
}

#[derive(Args)]
struct CallArgs {
    /// The number as presented.
    #[arg(long)]
    number: String,
    /// The display name as presented.
    #[arg(long)]
    name: Option<String>,
    /// Start time, ms since the epoch (default: now).
    #[arg(long)]
    at: Option<i64>,
    /// Outgoing instead of incoming.
    #[arg(long)]
    outgoing: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

pub fn run(args: VaultArgs) -> anyhow::Result<ExitCode> {
    let ctx = Cmd::new(&args)?;
    match args.command {
        VaultCommand::Init { label } => ctx.init(&label),
        VaultCommand::AddCall(call) => ctx.add_call(&call),
        VaultCommand::AddCalls { count } => ctx.add_calls(count),
        VaultCommand::List { limit, number, json } => ctx.list(limit, number, json),
        VaultCommand::Export { from, to, format, out } => ctx.export(from, to, format, &out),
        VaultCommand::Report { call } => ctx.report(call),
        VaultCommand::Verify => ctx.verify(),
        VaultCommand::Audit => ctx.audit(),
        VaultCommand::ResetPasskeys { confirm } => ctx.reset_passkeys(confirm),
    }
}

/// What every command needs: where the vault is, its keyring entry, the authenticator spec.
struct Cmd {
    dir: PathBuf,
    keyring: KeyringEntry,
    authenticator: String,
}

/// The environment variable a script can put the security key PIN in.
const PIN_ENV: &str = "CALLWARDEN_KEY_PIN";

/// Asks for the security key PIN on the terminal (no echo) unless [`PIN_ENV`] holds it, and
/// says on stderr when the key waits for a touch.
struct TerminalPrompt;

impl KeyPrompt for TerminalPrompt {
    fn pin(&self) -> Option<Pin> {
        let pin = match std::env::var(PIN_ENV) {
            Ok(pin) => pin,
            Err(_) => rpassword::prompt_password("security key PIN: ").ok()?,
        };
        // An empty answer cancels.
        (!pin.is_empty()).then(|| Pin::new(pin))
    }

    fn touch(&self) {
        eprintln!("touch your security key");
    }
}

fn now() -> Timestamp {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    Timestamp::from_unix_millis(i64::try_from(ms).unwrap_or(i64::MAX))
}

impl Cmd {
    fn new(args: &VaultArgs) -> anyhow::Result<Self> {
        let dir = match &args.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir()?,
        };
        Ok(Self {
            dir,
            keyring: KeyringEntry::new(args.account.clone()),
            authenticator: args.authenticator.clone(),
        })
    }

    fn authenticator(&self) -> anyhow::Result<Authenticator> {
        Ok(Authenticator::from_spec(&self.authenticator, Arc::new(TerminalPrompt))?)
    }

    fn open_locked(&self) -> anyhow::Result<LockedVault> {
        match Vault::open(&self.dir, &self.keyring, now())? {
            Opened::Locked(vault) => Ok(vault),
            Opened::FirstRun(_) => bail!("no passkey enrolled: run `callwarden-cli vault init`"),
        }
    }

    fn unlock(&self) -> anyhow::Result<(UnlockedVault, Authenticator)> {
        let vault = self.open_locked()?;
        let mut authenticator = self.authenticator()?;
        let (challenge, assertion) = vault.start_unlock()?;
        let response = authenticator.authenticate(challenge)?;
        let unlocked =
            vault.finish_unlock(assertion, &response, now()).map_err(|refused| refused.error)?;
        Ok((unlocked, authenticator))
    }

    fn init(&self, label: &str) -> anyhow::Result<ExitCode> {
        // Find the key first: without one, nothing (key, file) is created.
        let mut authenticator = self.authenticator()?;
        let mut vault = match Vault::open(&self.dir, &self.keyring, now())? {
            Opened::FirstRun(vault) => vault,
            Opened::Locked(_) => bail!("the vault is already initialised"),
        };
        let (challenge, enrolment) = vault.start_first_enrolment(now())?;
        let response = authenticator.register(challenge)?;
        let unlocked = vault.finish_first_enrolment(enrolment, &response, label, now())?;
        println!("vault ready at {}", Vault::file(&self.dir).display());
        if unlocked.should_encourage_second_passkey()? {
            println!("tip: enrol a second passkey as a backup, kept somewhere safe");
        }
        Ok(ExitCode::SUCCESS)
    }

    fn add_call(&self, args: &CallArgs) -> anyhow::Result<ExitCode> {
        let (mut vault, _) = self.unlock()?;
        let call = new_call(args.number.clone(), args.name.clone(), args.at, args.outgoing);
        let id = vault.store(now())?.calls_mut().insert(&call)?;
        println!("{}", id.0);
        Ok(ExitCode::SUCCESS)
    }

    fn add_calls(&self, count: u64) -> anyhow::Result<ExitCode> {
        let (mut vault, _) = self.unlock()?;
        let mut stdout = std::io::stdout().lock();
        let mut n = 0u64;
        while count == 0 || n < count {
            let call = new_call(format!("+1555{:07}", n % 10_000_000), None, None, false);
            let id = vault.store(now())?.calls_mut().insert(&call)?;
            writeln!(stdout, "committed {}", id.0)?;
            stdout.flush()?;
            n += 1;
        }
        Ok(ExitCode::SUCCESS)
    }

    fn list(&self, limit: u32, number: Option<String>, json: bool) -> anyhow::Result<ExitCode> {
        let (mut vault, _) = self.unlock()?;
        let store = vault.store(now())?;
        let calls = match number {
            Some(n) => store.calls().by_number(&PhoneNumber::new(n), limit)?,
            None => store.calls().recent(limit)?,
        };
        for record in calls {
            if json {
                println!("{}", serde_json::to_string(&record)?);
            } else {
                let call = &record.call;
                let name = call.display_name.as_ref().map_or("", DisplayName::expose);
                let at = call.started_at.unix_millis();
                println!("{}\t{at}\t{}\t{name}", record.id.0, call.number.expose());
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    fn export(&self, from: i64, to: i64, format: Format, out: &Path) -> anyhow::Result<ExitCode> {
        let (mut vault, mut authenticator) = self.unlock()?;
        let (challenge, step_up) = vault.start_step_up(RiskyAction::Export, now())?;
        let response = authenticator.authenticate(challenge)?;
        let grant = vault.finish_step_up(step_up, &response, now())?;
        let range = TimeRange {
            from: Timestamp::from_unix_millis(from),
            to: Timestamp::from_unix_millis(to),
        };
        let format = match format {
            Format::Json => ExportFormat::Json,
            Format::Csv => ExportFormat::Csv,
        };
        let count = if out.as_os_str() == "-" {
            vault.export(grant, range, format, std::io::stdout().lock(), now())?
        } else {
            let file =
                std::fs::File::create(out).with_context(|| format!("create {}", out.display()))?;
            vault.export(grant, range, format, std::io::BufWriter::new(file), now())?
        };
        eprintln!("exported {count} calls");
        Ok(ExitCode::SUCCESS)
    }

    fn report(&self, call: i64) -> anyhow::Result<ExitCode> {
        let (mut vault, _) = self.unlock()?;
        let payload = serde_json::json!({ "source": "cli" });
        let id = vault.report_call(Some(store::CallId(call)), &payload, now())?;
        println!("{}", id.0);
        Ok(ExitCode::SUCCESS)
    }

    fn verify(&self) -> anyhow::Result<ExitCode> {
        let vault = match Vault::open(&self.dir, &self.keyring, now())? {
            Opened::Locked(vault) | Opened::FirstRun(vault) => vault,
        };
        vault.check_integrity()?;
        match vault.verify_audit()? {
            Ok(report) => {
                println!("audit chain intact: {} events", report.events);
                Ok(ExitCode::SUCCESS)
            }
            Err(broken) => {
                println!("audit chain broken: {broken}");
                Ok(ExitCode::from(2))
            }
        }
    }

    fn audit(&self) -> anyhow::Result<ExitCode> {
        let vault = match Vault::open(&self.dir, &self.keyring, now())? {
            Opened::Locked(vault) | Opened::FirstRun(vault) => vault,
        };
        for event in vault.audit_events()? {
            println!("{}", serde_json::to_string(&event)?);
        }
        Ok(ExitCode::SUCCESS)
    }

    fn reset_passkeys(&self, confirm: bool) -> anyhow::Result<ExitCode> {
        if !confirm {
            bail!("refusing without --confirm: every enrolled passkey will be removed");
        }
        let vault = self.open_locked()?;
        vault.reset_passkeys("admin recovery via callwarden-cli", now())?;
        println!("passkeys removed; run `callwarden-cli vault init` to enrol new ones");
        Ok(ExitCode::SUCCESS)
    }
}

fn new_call(number: String, name: Option<String>, at: Option<i64>, outgoing: bool) -> NewCall {
    NewCall {
        started_at: at.map_or_else(now, Timestamp::from_unix_millis),
        direction: if outgoing { Direction::Outgoing } else { Direction::Incoming },
        number: PhoneNumber::new(number),
        display_name: name.map(DisplayName::new),
        verdict: serde_json::json!({ "level": "neutral", "reasons": [] }),
        quality: None,
        duration_ms: 0,
        actions: Vec::new(),
    }
}

fn default_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
        return Ok(PathBuf::from(dir).join("callwarden"));
    }
    let home =
        std::env::var_os("HOME").context("neither --data-dir, XDG_DATA_HOME nor HOME is set")?;
    Ok(PathBuf::from(home).join(".local/share/callwarden"))
}
