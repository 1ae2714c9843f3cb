//! `smslens completions SHELL`: a completion script generated from the clap definitions, on stdout.
//!
//! Examples:
//!   smslens completions bash > ~/.local/share/bash-completion/completions/smslens
//!   smslens completions zsh > ~/.zfunc/_smslens
//!   smslens completions fish > ~/.config/fish/completions/smslens.fish

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap_complete::Shell;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  smslens completions bash > ~/.local/share/bash-completion/completions/smslens\n  smslens completions zsh > ~/.zfunc/_smslens   (with fpath+=~/.zfunc before compinit)\n  smslens completions fish > ~/.config/fish/completions/smslens.fish\n  smslens completions powershell >> $PROFILE"
)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), "smslens", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)
        .and_then(|_| out.flush())
        .context("writing the completion script to stdout")?;
    Ok(ExitCode::SUCCESS)
}
