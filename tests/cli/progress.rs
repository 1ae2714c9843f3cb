//! The progress bar: on a terminal, a long read shows bytes read of the total, the rate and the time left;
//! with `--quiet`, or when stderr is not a terminal, nothing. Data stays on stdout.

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// Runs `smslens ARGS` with stderr on a pseudo-terminal (util-linux `script`), stdout to `out`; returns
/// what the terminal showed. The bar ticks every millisecond, so that even a fast build's read shows it.
fn on_a_terminal(args: &[&str], out: &Path) -> String {
    let bin = std::env::var("SMSLENS_TEST_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_smslens").to_owned());
    let quoted: Vec<String> = std::iter::once(bin.as_str())
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    // A wide terminal, so the bar is not cut to 80 columns.
    let cmd = format!("stty cols 200; {} > '{}'", quoted.join(" "), out.display());
    let o = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .env("TERM", "xterm")
        .env("SMSLENS_PROGRESS_TICK_MS", "1")
        .output()
        .expect("script (util-linux) runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_long_read_on_a_terminal_shows_bytes_of_the_total_rate_and_time_left() {
    let d = tempdir();
    let (p, truth) = generated_records(d.path(), "big.jsonl", 150_000, 71);
    let size = std::fs::metadata(&p).unwrap().len();
    let out = d.path().join("summary.json");
    let screen = on_a_terminal(&["summary", "--format", "json", p.to_str().unwrap()], &out);
    let total = format!("/{:.2} MiB", size as f64 / (1024.0 * 1024.0));
    assert!(
        screen.contains(&total),
        "the total size {total} in: {screen:?}"
    );
    assert!(screen.contains("MiB/s, "), "a rate: {screen:?}");
    assert!(screen.contains(" left"), "time left: {screen:?}");
    assert!(screen.contains("/1 files, "), "files: {screen:?}");
    // Bytes read grow up to the total, and the bar is cleared at the end.
    let read: Vec<f64> = screen
        .split('\r')
        .map(|frame| frame.trim_start_matches("\x1b[2K"))
        .filter_map(|frame| bytes(frame.split_once(&total)?.0))
        .collect();
    assert!(read.len() >= 2, "{screen:?}");
    assert!(read.windows(2).all(|w| w[0] <= w[1]), "{read:?}");
    assert!(read.iter().all(|b| *b <= size as f64 * 1.001), "{read:?}");
    assert!(screen.ends_with("\x1b[2K"), "cleared: {screen:?}");
    // The data went to stdout, whole.
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(u(&v, "events"), u(&truth, "unique"));
}

/// "24.25 MiB" as bytes.
fn bytes(text: &str) -> Option<f64> {
    let (n, unit) = text.trim().split_once(' ')?;
    let scale = match unit {
        "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some(n.parse::<f64>().ok()? * scale)
}

#[test]
fn quiet_or_a_pipe_shows_no_progress() {
    let d = tempdir();
    let (p, _) = generated_records(d.path(), "big.jsonl", 150_000, 72);
    let out = d.path().join("summary.json");
    let screen = on_a_terminal(
        &[
            "summary",
            "--quiet",
            "--format",
            "json",
            p.to_str().unwrap(),
        ],
        &out,
    );
    assert!(!screen.contains("MiB"), "--quiet: {screen:?}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"{"));
    let o = run(&["summary", "--format", "json", p.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(
        o.stderr.is_empty(),
        "stderr is not a terminal: {:?}",
        stderr(&o)
    );
}
