//! `dsti serve`: run the exchange service (the `dsti-server` crate) from a configuration
//! file, and `dsti serve token`: make a sender's bearer token and its tokens-file entry.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

/// Arguments of `dsti serve`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct ServeArgs {
    #[command(subcommand)]
    command: Option<ServeCommand>,
    /// The configuration file (TOML; see examples/serve.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Judge as if it were this time (RFC 3339 with offset), for tests.
    #[arg(long)]
    now: Option<String>,
}

#[derive(Subcommand)]
enum ServeCommand {
    /// Print a new random token for a sender (stdout, first line) and its tokens-file entry
    /// (second line). Only the entry, which holds the token's SHA-256, goes in the tokens file.
    Token(TokenArgs),
}

#[derive(clap::Args)]
struct TokenArgs {
    /// The sender's unified social credit code.
    #[arg(long)]
    sender: String,
    /// The sender's name, for people reading the tokens file.
    #[arg(long, default_value = "")]
    name: String,
}

/// Run `dsti serve` or `dsti serve token`; an error is a usage or I/O failure (exit 2).
pub(crate) fn run(args: ServeArgs) -> Result<ExitCode, String> {
    if let Some(ServeCommand::Token(token)) = args.command {
        return new_token(&token);
    }
    let Some(config_path) = args.config else {
        return Err("serve: --config FILE is required".to_owned());
    };
    let config = dsti_server::config::Config::load(&config_path).map_err(|e| e.to_string())?;
    let mut settings = dsti_server::Settings::new(config);
    if let Some(now) = &args.now {
        let now = chrono::DateTime::parse_from_rfc3339(now)
            .map_err(|_| format!("--now {now}: not an RFC 3339 time with an offset"))?;
        settings = settings.now(now);
    }
    // The reference site, rendered once into a directory of this process's own.
    let docs = std::env::temp_dir().join(format!("dsti-serve-docs-{}", std::process::id()));
    dsti_cli::docs::write_site(&docs).map_err(|e| format!("{}: {e}", docs.display()))?;
    settings = settings.docs_dir(docs.clone());
    let result = dsti_server::run(settings);
    let _ = std::fs::remove_dir_all(&docs);
    result.map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn new_token(args: &TokenArgs) -> Result<ExitCode, String> {
    let sender: dsti::ident::Uscc = args
        .sender
        .parse()
        .map_err(|_| "--sender: not a valid unified social credit code".to_owned())?;
    let (token, entry) =
        dsti_server::config::new_token(&sender, &args.name).map_err(|e| e.to_string())?;
    let entry = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
    println!("{token}");
    println!("{entry}");
    Ok(ExitCode::SUCCESS)
}
