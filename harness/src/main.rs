//! The `kernelsmith` binary: CLI, orchestration and presentation. The only crate that prints,
//! reads the environment or uses anyhow (STYLE.md 9, 18).

mod cli;
mod cmd_eval;
mod cmd_misc;
mod cmd_run;
mod cmd_tasks;
mod config;
mod npy;
mod platforms;
mod prices;
mod providers;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

/// A requested gate failed (exit 1), as opposed to a harness error (exit 2).
#[derive(Debug)]
pub struct GateFailed(pub String);

impl std::fmt::Display for GateFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GateFailed {}

/// The user stopped a run with Ctrl-C (exit 130, as shells report SIGINT); finished work is saved.
#[derive(Debug)]
pub struct Interrupted(pub String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Worker(w) = &cli.command {
        // The worker never touches tokio, the database or the terminal: it only serves requests.
        return match w.platform.as_str() {
            "cpu" => ExitCode::from(kernelsmith_platform_cpu::worker::serve() as u8),
            "cuda" => {
                let opts = kernelsmith_platform_cuda::worker::ServeOptions { under_sanitizer: w.under_sanitizer };
                ExitCode::from(kernelsmith_platform_cuda::worker::serve_with(opts) as u8)
            }
            other => {
                eprintln!("kernelsmith worker: no worker for platform `{other}`");
                ExitCode::from(2)
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<GateFailed>().is_some() => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(e) if e.downcast_ref::<Interrupted>().is_some() => {
            eprintln!("{e}");
            ExitCode::from(130)
        }
        Err(e) => {
            let red = std::io::IsTerminal::is_terminal(&std::io::stderr());
            if red {
                eprintln!("\x1b[31mError:\x1b[0m {e:#}");
            } else {
                eprintln!("Error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    let cfg = config::Config::from_global(&cli.global)?;
    match cli.command {
        Command::Run(a) => cmd_run::run(&cfg, a).await,
        Command::Eval(a) => cmd_eval::eval(&cfg, a).await,
        Command::Prompt(a) => cmd_misc::prompt(&cfg, a),
        Command::Tasks(t) => cmd_tasks::tasks(&cfg, t).await,
        Command::Platforms(a) => cmd_misc::platforms(&cfg, a),
        Command::Leaderboard(a) => cmd_misc::leaderboard(&cfg, a).await,
        Command::Diff(a) => cmd_misc::diff(&cfg, a).await,
        Command::Review(a) => cmd_misc::review(&cfg, a).await,
        Command::Worker(_) => unreachable!("handled before the runtime starts"),
    }
}

/// Map the CLI format to the results crate's renderer format.
pub fn render_format(f: cli::Format) -> kernelsmith_results::render::Format {
    use kernelsmith_results::render::Format as R;
    match f {
        cli::Format::Text => R::Text,
        cli::Format::Markdown => R::Markdown,
        cli::Format::Csv => R::Csv,
        cli::Format::Json => R::Json,
    }
}

/// Parse a size preset name with a helpful error.
pub fn parse_size(s: &str) -> anyhow::Result<kernelsmith_tasks::SizeName> {
    kernelsmith_tasks::SizeName::parse(s)
        .ok_or_else(|| anyhow::anyhow!("unknown size `{s}`; expected tiny, cpu, gpu or heldout"))
}
