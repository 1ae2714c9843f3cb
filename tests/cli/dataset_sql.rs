//! The engines' side of an exported dataset, shipped in `sql/`: the DDL for Athena, Spark SQL, Trino and
//! DuckDB follows the dataset's schema, and the summary queries, run by a real engine (DuckDB) on exported
//! datasets, give every figure `smslens summary` gives on the raw inputs.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use smslens::frame::dataset::{Type, COLUMNS, PARTITION, TABLE};

use crate::dataset::{export, multi_shape_input};
use crate::support::*;

fn sql_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sql")
}

fn columns(ty: impl Fn(Type) -> &'static str, quote: char, indent: &str) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|c| {
            format!(
                "{indent}{quote}{}{quote} {} COMMENT '{}'",
                c.name,
                ty(c.ty),
                c.doc.replace('\'', "''")
            )
        })
        .collect()
}

/// The DDL each engine needs, from the schema table.
fn ddl() -> Vec<(&'static str, String)> {
    let header = |engine: &str, how: &str| {
        format!(
            "-- The `{TABLE}` table of a dataset `smslens export` wrote, for {engine}.\n-- Generated from \
             the schema (src/frame/dataset/mod.rs): `SMSLENS_REGENERATE=1 cargo test sql_ddl` rewrites it.\n{how}\n"
        )
    };
    let athena = format!(
        "{}CREATE EXTERNAL TABLE IF NOT EXISTS {TABLE} (\n{}\n)\nPARTITIONED BY (`{PARTITION}` STRING)\n\
         STORED AS PARQUET\nLOCATION 's3://YOUR-BUCKET/sms-dataset/{TABLE}/'\nTBLPROPERTIES (\n  \
         'projection.enabled' = 'true',\n  'projection.{PARTITION}.type' = 'date',\n  \
         'projection.{PARTITION}.format' = 'yyyy-MM-dd',\n  'projection.{PARTITION}.range' = '2000-01-01,NOW',\n  \
         'projection.{PARTITION}.interval' = '1',\n  'projection.{PARTITION}.interval.unit' = 'DAYS',\n  \
         'storage.location.template' = 's3://YOUR-BUCKET/sms-dataset/{TABLE}/{PARTITION}=${{{PARTITION}}}/'\n);\n",
        header(
            "Amazon Athena (AWS Glue Data Catalog)",
            "-- Copy the dataset to S3 (aws s3 sync DIR s3://YOUR-BUCKET/sms-dataset/) and replace the two\n\
             -- locations below. Partition projection on `date`: no crawler and no MSCK REPAIR TABLE needed; a\n\
             -- query that filters on \"date\" reads only those days."
        ),
        columns(Type::hive, '`', "  ").join(",\n")
    );
    let spark = format!(
        "{}CREATE TABLE IF NOT EXISTS {TABLE} (\n{},\n  `{PARTITION}` DATE COMMENT 'UTC day of event_time (the folder)'\n)\n\
         USING PARQUET\nPARTITIONED BY (`{PARTITION}`)\nLOCATION 's3a://YOUR-BUCKET/sms-dataset/{TABLE}/';\n\n\
         MSCK REPAIR TABLE {TABLE};\n",
        header(
            "Spark SQL (3.4 or later: event_time is a TIMESTAMP_NTZ), e.g. on EMR or Glue",
            "-- Replace the location; run MSCK REPAIR TABLE again after each export that adds days."
        ),
        columns(|t| if t == Type::Timestamp { "TIMESTAMP_NTZ" } else { t.hive() }, '`', "  ").join(",\n")
    );
    let trino = format!(
        "{}CREATE TABLE IF NOT EXISTS hive.sms.{TABLE} (\n{},\n  \"{PARTITION}\" VARCHAR COMMENT 'UTC day of event_time (the folder)'\n)\n\
         WITH (\n  external_location = 's3://YOUR-BUCKET/sms-dataset/{TABLE}/',\n  format = 'PARQUET',\n  \
         partitioned_by = ARRAY['{PARTITION}']\n);\n\n\
         CALL hive.system.sync_partition_metadata('sms', '{TABLE}', 'ADD');\n",
        header(
            "Trino (Hive connector; the catalog `hive`, schema `sms`)",
            "-- Replace the location; call sync_partition_metadata again after each export that adds days."
        ),
        columns(Type::trino, '"', "  ").join(",\n")
    );
    let duckdb = format!(
        "{}CREATE OR REPLACE VIEW {TABLE} AS\nSELECT * FROM read_parquet('DATASET_DIR/{TABLE}/*/*.parquet', hive_partitioning = true);\n",
        header(
            "DuckDB",
            "-- Replace DATASET_DIR with the dataset's folder (sql/run_duckdb.py does). The view has every column\n\
             -- of the schema, and `date` from the folder names."
        )
    );
    vec![
        ("athena.sql", athena),
        ("spark.sql", spark),
        ("trino.sql", trino),
        ("duckdb.sql", duckdb),
    ]
}

#[test]
fn sql_ddl_follows_the_dataset_schema() {
    for (file, want) in ddl() {
        let path = sql_dir().join(file);
        if std::env::var_os("SMSLENS_REGENERATE").is_some() {
            std::fs::write(&path, &want).expect("write DDL");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            have, want,
            "sql/{file} is not the schema's DDL: SMSLENS_REGENERATE=1 cargo test sql_ddl"
        );
    }
}

/// `sql/run_duckdb.py` on `dataset`: every named query's rows. DuckDB is a test dependency (`.ci/run`
/// installs it): without it this fails, it does not skip.
pub fn duckdb(dataset: &Path) -> Value {
    let o = Command::new("python3")
        .arg(sql_dir().join("run_duckdb.py"))
        .arg(dataset)
        .output()
        .expect("python3 runs (DuckDB is a test dependency: pip install duckdb)");
    assert!(
        o.status.success(),
        "DuckDB on the shipped SQL failed (is its Python package installed? pip install duckdb): {}",
        stderr(&o)
    );
    serde_json::from_slice(&o.stdout).expect("run_duckdb.py prints JSON")
}

/// Rows of one query.
fn rows<'a>(d: &'a Value, name: &str) -> &'a Vec<Value> {
    d[name]
        .as_array()
        .unwrap_or_else(|| panic!("no query {name} in sql/queries.sql"))
}

/// A breakdown of the summary (`by_country`, ...) as its rows of (key, events, failed, failure_rate).
fn same_groups(sql: &[Value], summary: &Value, table: &str, key: &str) {
    let want: Vec<(String, u64, u64, f64)> = summary[table]
        .as_array()
        .unwrap_or_else(|| panic!("{table}"))
        .iter()
        .map(|r| {
            (
                r[key].as_str().unwrap().to_owned(),
                u(r, "events"),
                u(r, "failed"),
                f(r, "failure_rate"),
            )
        })
        .collect();
    let have: Vec<(String, u64, u64, f64)> = sql
        .iter()
        .map(|r| {
            (
                r[key].as_str().unwrap().to_owned(),
                u(r, "events"),
                u(r, "failed"),
                f(r, "failure_rate"),
            )
        })
        .collect();
    assert_eq!(have, want, "{table}");
}

/// Every figure of the summary that the dataset holds, from the shipped SQL, equal to smslens's own.
pub fn agrees(d: &Value, s: &Value, report_locked_out: Option<usize>) {
    let t = &rows(d, "totals")[0];
    for k in [
        "events",
        "delivered",
        "failed",
        "quota_failures",
        "quota_recipients",
    ] {
        assert_eq!(u(t, k), u(s, k), "totals.{k}");
    }
    assert_eq!(f(t, "spend_usd"), f(s, "spend_usd"), "spend_usd");
    assert_eq!(t["first_event"], s["first_event"]);
    assert_eq!(t["last_event"], s["last_event"]);

    let responses: Vec<Value> = rows(d, "by_provider_response").clone();
    let want: Vec<Value> = s["by_provider_response"].as_array().unwrap().clone();
    assert_eq!(responses, want, "by_provider_response");

    same_groups(rows(d, "by_country"), s, "by_country", "country");
    same_groups(rows(d, "by_carrier"), s, "by_carrier", "carrier");
    same_groups(rows(d, "by_sms_type"), s, "by_sms_type", "sms_type");
    same_groups(rows(d, "by_source"), s, "by_source", "source");
    let regions: Vec<Value> = rows(d, "by_region").clone();
    assert_eq!(&regions, s["by_region"].as_array().unwrap(), "by_region");
    assert_eq!(
        u(&rows(d, "message_parts")[0], "message_parts"),
        u(s, "message_parts"),
        "message_parts"
    );

    let days: Vec<(String, f64, u64, u64)> = rows(d, "spend_by_day")
        .iter()
        .map(|r| {
            (
                r["day"].as_str().unwrap()[..10].to_owned(),
                f(r, "spend_usd"),
                u(r, "texts"),
                u(r, "failed"),
            )
        })
        .collect();
    let want: Vec<(String, f64, u64, u64)> = s["spend_by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["day"].as_str().unwrap().to_owned(),
                f(r, "spend_usd"),
                u(r, "texts"),
                u(r, "failed"),
            )
        })
        .collect();
    assert_eq!(days, want, "spend_by_day");

    let months: Vec<(String, f64, u64, u64)> = rows(d, "spend_by_month")
        .iter()
        .map(|r| {
            (
                r["month"].as_str().unwrap()[..7].to_owned(),
                f(r, "spend_usd"),
                u(r, "texts"),
                u(r, "quota_failures"),
            )
        })
        .collect();
    let want: Vec<(String, f64, u64, u64)> = s["spend_by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["month"].as_str().unwrap().to_owned(),
                f(r, "spend_usd"),
                u(r, "texts"),
                u(r, "quota_failures"),
            )
        })
        .collect();
    assert_eq!(months, want, "spend_by_month");

    // Hours add up to the days (the summary JSON has no hourly table; the report's charts use it).
    let hours = rows(d, "by_hour");
    let mut per_day: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for h in hours {
        let e = per_day
            .entry(h["hour_start"].as_str().unwrap()[..10].to_owned())
            .or_default();
        e.0 += u(h, "events");
        e.1 += u(h, "failed");
    }
    let from_days: std::collections::BTreeMap<String, (u64, u64)> = days
        .iter()
        .map(|(d, _, t, fl)| (d.clone(), (*t, *fl)))
        .collect();
    assert_eq!(per_day, from_days, "by_hour adds up to spend_by_day");

    if let Some(n) = report_locked_out {
        assert_eq!(
            u(&rows(d, "recipients_without_delivery")[0], "recipients"),
            n as u64
        );
    }
}

/// Rows of the report's table of recipients who got no delivery.
fn locked_out_rows(report: &Path) -> usize {
    let csv = std::fs::read_to_string(report.join("tables/recipients_without_delivery.csv"))
        .expect("the report's recipients table");
    csv.lines().count().saturating_sub(1)
}

#[test]
fn duckdb_on_the_exported_samples_gives_every_summary_figure() {
    let d = tempdir();
    let ds = d.path().join("ds");
    export(&[&samples()], &ds, &[]);
    let raw = summary(&[&samples()]);
    let report = d.path().join("report");
    let o = run(&["report", &samples(), "-o", report.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    agrees(&duckdb(&ds), &raw, Some(locked_out_rows(&report)));
}

#[test]
fn duckdb_on_a_generated_multi_shape_export_gives_every_summary_figure() {
    for seed in [3, 11] {
        let d = tempdir();
        let inputs = multi_shape_input(d.path(), seed);
        let ds = d.path().join("ds");
        let args: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
        export(&args, &ds, &[]);
        let raw = summary(&args);
        assert!(
            u(&raw, "duplicates") > 0 && u(&raw, "malformed") > 0,
            "the input has both"
        );
        agrees(&duckdb(&ds), &raw, None);
    }
}
