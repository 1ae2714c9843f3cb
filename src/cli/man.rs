//! `smslens man`: the manual page, generated from the clap definitions, as roff on stdout. One page, as
//! ripgrep's: the command, then a section per subcommand (its synopsis, options and examples), then the
//! exit status.
//!
//! Examples:
//!   smslens man > ~/.local/share/man/man1/smslens.1
//!   smslens man | man -l -

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap_mangen::Man;
use roff::{bold, roman, Roff};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  mkdir -p ~/.local/share/man/man1 && smslens man > ~/.local/share/man/man1/smslens.1\n  smslens man | man -l -"
)]
pub struct Args {}

pub fn run(_: Args) -> anyhow::Result<ExitCode> {
    let page = render(super::command()).context("rendering the man page")?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)
        .and_then(|_| out.flush())
        .context("writing the man page to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// The page for `cmd` and all its subcommands.
pub fn render(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    let mut cmd = cmd.disable_help_subcommand(true);
    // Gives every subcommand its full name ("smslens chart spend") for the synopses.
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_owned();
    let man = Man::new(cmd.clone())
        .title("SMSLENS")
        .source(format!("smslens {version}"));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let subs = leaves(&cmd);
    subcommand_list(&subs, &mut out)?;
    for sub in subs {
        subcommand_section(sub, &mut out)?;
    }
    exit_status(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(once_preamble(&out).into_bytes())
}

/// Every piece clap_mangen renders starts with the same two-line apostrophe preamble: keep the first.
fn once_preamble(roff: &[u8]) -> String {
    let text = String::from_utf8_lossy(roff);
    let mut seen = std::collections::BTreeSet::new();
    text.lines()
        .filter(|l| {
            !(l.starts_with(".ie \\n(.g ") || l.starts_with(".el .ds Aq")) || seen.insert(*l)
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// SUBCOMMANDS: each one's full name and what it does (its own section follows, in this page).
fn subcommand_list(subs: &[&clap::Command], out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut r = Roff::new();
    r.control("SH", ["SUBCOMMANDS"]);
    for sub in subs {
        r.control("TP", [])
            .text([bold(full_name(sub))])
            .text([roman(
                sub.get_about().map(|a| a.to_string()).unwrap_or_default(),
            )]);
    }
    r.to_writer(out)
}

fn full_name(sub: &clap::Command) -> &str {
    sub.get_bin_name().unwrap_or_else(|| sub.get_name())
}

/// The subcommands that run something (`chart spend`, not `chart`), in definition order.
fn leaves(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut out = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.has_subcommands() {
            out.extend(leaves(sub));
        } else {
            out.push(sub);
        }
    }
    out
}

/// `SMSLENS REPORT`: what the subcommand does, its synopsis, options and examples, as subsections.
fn subcommand_section(sub: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let name = full_name(sub);
    let mut head = Roff::new();
    head.control("SH", [name.to_uppercase().as_str()]);
    if let Some(about) = sub.get_about() {
        head.text([roman(about.to_string())]);
    }
    head.to_writer(out)?;
    let man = Man::new(sub.clone());
    let mut parts = Vec::new();
    man.render_synopsis_section(&mut parts)?;
    man.render_options_section(&mut parts)?;
    out.extend_from_slice(demote(&parts).as_bytes());
    if let Some(after) = sub.get_after_help() {
        let text = after.to_string();
        let examples = text.strip_prefix("Examples:").unwrap_or(&text);
        let mut ex = Roff::new();
        ex.control("SS", ["EXAMPLES"]).control("nf", []);
        for line in examples.lines().filter(|l| !l.trim().is_empty()) {
            ex.text([roman(line.trim())]);
        }
        ex.control("fi", []);
        ex.to_writer(out)?;
    }
    Ok(())
}

/// Sections of a subcommand become subsections of its own section.
fn demote(roff: &[u8]) -> String {
    String::from_utf8_lossy(roff)
        .lines()
        .map(|l| match l.strip_prefix(".SH ") {
            Some(rest) => format!(".SS {rest}\n"),
            None => format!("{l}\n"),
        })
        .collect()
}

/// The exit-code contract, from the same table as `--help`.
fn exit_status(out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut r = Roff::new();
    r.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in super::EXIT_CODES {
        r.control("TP", [])
            .text([bold(code.to_string())])
            .text([roman(*meaning)]);
    }
    r.to_writer(out)
}
