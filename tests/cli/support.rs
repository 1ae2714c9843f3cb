//! Running the binary and reading its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The binary under test: this build's, or `SMSLENS_TEST_BIN` (to show that a test fails on an older one).
pub fn bin() -> Command {
    match std::env::var_os("SMSLENS_TEST_BIN") {
        Some(b) => Command::new(b),
        None => Command::new(env!("CARGO_BIN_EXE_smslens")),
    }
}

/// `count` generated records (seed `seed`, the generator's other defaults) in `dir/name`, one per line;
/// returns the path and the generator's truth.
pub fn generated_records(dir: &Path, name: &str, count: u32, seed: u64) -> (PathBuf, Value) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
    let cfg = smslens_gen::GenConfig::new(count as usize, seed);
    let mut w = std::io::BufWriter::new(std::fs::File::create(&p).expect("create"));
    let truth = smslens_gen::write_records(&mut w, &cfg).expect("generate records");
    (p, serde_json::to_value(truth).expect("the truth as JSON"))
}

pub fn fixture(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
        .display()
        .to_string()
}

pub fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .display()
        .to_string()
}

/// The folders of the samples' first story (a month through SNS); `end-user-messaging/` holds the second.
pub fn sns_samples() -> Vec<String> {
    [
        "cli",
        "cloudwatch-export",
        "firehose",
        "insights",
        "metrics",
        "settings",
    ]
    .iter()
    .map(|d| format!("{}/{d}", samples()))
    .collect()
}

/// The folder of the samples' second story (a month on the End User Messaging direct path).
pub fn eum_samples() -> String {
    format!("{}/end-user-messaging", samples())
}

pub fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("smslens runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `smslens summary ARGS --format json`, which must succeed.
pub fn summary(args: &[&str]) -> Value {
    let mut a = vec!["summary", "--format", "json"];
    a.extend_from_slice(args);
    let o = run(&a);
    assert!(o.status.success(), "smslens {a:?} failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)))
}

pub fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64()
        .unwrap_or_else(|| panic!("{k} is not a count in {v}"))
}

pub fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64()
        .unwrap_or_else(|| panic!("{k} is not a number in {v}"))
}

/// Count of one providerResponse in `by_provider_response`.
pub fn response_count(v: &Value, text: &str) -> u64 {
    v["by_provider_response"]
        .as_array()
        .expect("by_provider_response")
        .iter()
        .filter(|r| r["provider_response"] == text)
        .map(|r| r["count"].as_u64().unwrap_or(0))
        .sum()
}

/// The row of a breakdown (`by_country`, `by_carrier`, `by_sms_type`) whose key equals `name`.
pub fn row<'a>(v: &'a Value, table: &str, key: &str, name: &str) -> &'a Value {
    v[table]
        .as_array()
        .unwrap_or_else(|| panic!("{table} missing"))
        .iter()
        .find(|r| r[key] == name)
        .unwrap_or_else(|| panic!("no {key} {name} in {table}: {}", v[table]))
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, body).expect("write fixture");
    p
}

/// Width and height from a PNG's IHDR chunk.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let w = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
    let h = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
    (w, h)
}

/// Runs `cmd` to the end, feeding it `stdin`, and returns its output and its peak resident memory (KiB) as
/// Linux's `VmHWM` last showed it (polled while it ran).
#[cfg(target_os = "linux")]
pub fn run_measuring_peak(mut cmd: Command, stdin: Option<Vec<u8>>) -> (Output, u64) {
    use std::io::{Read, Write};
    let mut child = cmd
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("smslens runs");
    let status_path = format!("/proc/{}/status", child.id());
    let feeder = stdin.map(|data| {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        })
    });
    let mut out_pipe = child.stdout.take().expect("stdout pipe");
    let mut err_pipe = child.stderr.take().expect("stderr pipe");
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let mut peak = 0;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(kib) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let output = Output {
        status,
        stdout: out_t.join().unwrap_or_default(),
        stderr: err_t.join().unwrap_or_default(),
    };
    (output, peak)
}
