//! Outputs. Every format renders the same [`Summary`]; one module per format behind [`Render`].

pub mod audit;
pub mod bundle;
pub mod charts;
pub mod csv;
pub mod dataset;
pub mod figures;
pub mod headline;
pub mod html;
pub mod json;
pub mod markdown;
pub mod outdir;
pub mod style;
pub mod tables;
pub mod text;

use std::io::{self, Write};

use clap::ValueEnum;

use crate::analysis::summary::Summary;

/// A titled table of strings; numbers are already formatted.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File stem when written as a file (`by_country` → `tables/by_country.csv`).
    pub name: &'static str,
    pub title: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Right-align (numeric) columns.
    pub numeric: Vec<bool>,
}

pub trait Render {
    fn render(&self, summary: &Summary, out: &mut dyn Write) -> io::Result<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TableFormat {
    #[default]
    Table,
    Json,
    Csv,
    Markdown,
}

pub fn renderer(f: TableFormat) -> Box<dyn Render> {
    match f {
        TableFormat::Table => Box::new(text::Text),
        TableFormat::Json => Box::new(json::Json),
        TableFormat::Csv => Box::new(csv::Csv),
        TableFormat::Markdown => Box::new(markdown::Markdown),
    }
}
