//! The command line as a contract: exit codes (in `--help`, the man page and README), errors that name the
//! file and say what to do, shell completions and the man page generated from the clap definitions.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::*;

/// The subcommands `smslens --help` lists (so one added later is checked too), without `help`.
fn subcommands() -> Vec<String> {
    let o = run(&["--help"]);
    assert!(o.status.success());
    let help = stdout(&o);
    let list = help
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .split("\n\n")
        .next()
        .unwrap_or_default();
    let names: Vec<String> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect();
    for known in ["report", "summary", "chart", "completions", "man"] {
        assert!(names.iter().any(|n| n == known), "{known} in {names:?}");
    }
    names
}

/// (code, meaning) rows of the "Exit codes:" section of `smslens --help`.
fn help_exit_codes() -> Vec<(u8, String)> {
    let help = stdout(&run(&["--help"]));
    let section = help
        .split("Exit codes:\n")
        .nth(1)
        .expect("an exit-code section");
    section
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let (code, meaning) = l.trim().split_once("  ").expect("code and meaning");
            (code.parse().expect("a number"), meaning.trim().to_owned())
        })
        .collect()
}

#[test]
fn help_lists_every_exit_code_and_readme_has_the_same_table() {
    let codes = help_exit_codes();
    let numbers: Vec<u8> = codes.iter().map(|c| c.0).collect();
    assert_eq!(numbers, vec![0, 1, 2, 3, 4]);
    assert!(codes[3].1.contains("--strict"));
    assert!(codes[4].1.contains("check") && codes[4].1.contains("--fail-on"));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (code, meaning) in &codes {
        let row = format!("| {code} | {meaning} |");
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

#[test]
fn each_exit_code_is_what_the_binary_returns() {
    let d = tempdir();
    // 0: a clean run.
    let o = run(&["summary", &fixture("bare.jsonl")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 1: an input that is not there; the message names it and says what to do.
    let missing = d.path().join("exports-from-march");
    let o = run(&["summary", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(missing.to_str().unwrap()), "{err}");
    assert!(err.contains("check the path"), "{err}");
    // 2: a usage error (clap) ...
    let o = run(&["summary", "--no-such-flag", &fixture("bare.jsonl")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--no-such-flag"));
    // ... and a refused output: a directory smslens did not write, left as it was.
    let mine = write(d.path(), "mine/notes.txt", b"my notes");
    let o = run(&[
        "report",
        &fixture("bare.jsonl"),
        "-o",
        mine.parent().unwrap().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Choose a new -o DIR"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&mine).unwrap(), b"my notes");
    // 3: --strict and a malformed line; the output is still written.
    let o = run(&[
        "summary",
        "--strict",
        "--format",
        "json",
        &fixture("bad/mixed.jsonl"),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON still written");
    assert!(u(&v, "malformed") > 0);
}

#[test]
fn an_unreadable_file_is_named_with_what_to_do() {
    let d = tempdir();
    let o = run(&["summary", "--since", "last tuesday", &fixture("bare.jsonl")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("e.g. 2026-03-01"), "{}", stderr(&o));
    let o = run(&[
        "chart",
        "spend",
        &fixture("bare.jsonl"),
        "-o",
        d.path().join("x").to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("name the file *.png"), "{}", stderr(&o));
}

/// The completion script for `shell`, which must be generated.
fn completions(shell: &str) -> String {
    let o = run(&["completions", shell]);
    assert!(o.status.success(), "{shell}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn the_bash_completion_parses_and_completes_every_subcommand() {
    let script = completions("bash");
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    bash.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let o = bash.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Load it and ask bash what it offers after `smslens `: every subcommand.
    let d = tempdir();
    let file = write(d.path(), "smslens.bash", script.as_bytes());
    let probe = format!(
        "source {}; COMP_WORDS=(smslens ''); COMP_CWORD=1; COMP_LINE='smslens '; COMP_POINT=8; \
         _smslens smslens '' smslens; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let o = Command::new("bash").args(["-c", &probe]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let offered = String::from_utf8_lossy(&o.stdout).into_owned();
    for sub in subcommands() {
        assert!(
            offered.lines().any(|l| l == sub),
            "{sub} not offered: {offered}"
        );
    }
}

#[test]
fn zsh_fish_and_powershell_completions_name_every_subcommand_and_flag() {
    let subs = subcommands();
    let zsh = completions("zsh");
    assert!(zsh.starts_with("#compdef smslens"));
    let fish = completions("fish");
    let ps = completions("powershell");
    assert!(ps.contains("Register-ArgumentCompleter"));
    for sub in &subs {
        assert!(zsh.contains(&format!("'{sub}:")), "zsh lacks {sub}");
        assert!(fish.contains(&format!("-a \"{sub}\"")), "fish lacks {sub}");
        assert!(ps.contains(&format!("'{sub}'")), "powershell lacks {sub}");
    }
    for flag in ["--since", "--strict", "--quiet", "--show-numbers"] {
        for (shell, text) in [("zsh", &zsh), ("powershell", &ps)] {
            assert!(text.contains(flag), "{shell} lacks {flag}");
        }
        assert!(
            fish.contains(&format!("-l {}", &flag[2..])),
            "fish lacks {flag}"
        );
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn the_man_page_has_name_synopsis_each_subcommand_and_the_exit_status() {
    let o = run(&["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH SMSLENS 1"), "title");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH SUBCOMMANDS",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "{section}");
    }
    for sub in subcommands() {
        assert!(
            page.contains(&format!(".SH \"SMSLENS {}", sub.to_uppercase())),
            "no section for {sub}"
        );
    }
    for (code, _) in help_exit_codes() {
        assert!(
            page.contains(&format!(".TP\n\\fB{code}\\fR")),
            "exit code {code}"
        );
    }
    // groff reads it without a warning, and man shows the sections.
    let d = tempdir();
    let file = write(d.path(), "smslens.1", page.as_bytes());
    let o = Command::new("groff")
        .args(["-k", "-man", "-ww", "-z"])
        .arg(&file)
        .output()
        .expect("groff (groff-base) runs");
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "groff: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .output()
        .expect("man runs");
    let shown = String::from_utf8_lossy(&o.stdout);
    for heading in [
        "NAME",
        "SYNOPSIS",
        "SMSLENS REPORT",
        "SMSLENS CHART SPEND",
        "EXIT STATUS",
    ] {
        assert!(shown.lines().any(|l| l == heading), "{heading} in\n{shown}");
    }
    let words = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("smslens report [--since]"), "{shown}");
}
