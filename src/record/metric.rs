//! Spend inputs (formats.md §6): metric series (`SMSMonthToDateSpentUSD` and others) and the account's SMS
//! settings, as the metric and settings sources yield them.

use serde::{Deserialize, Serialize};

/// The month-to-date spend metric SNS compares with the monthly limit.
pub const MONTH_TO_DATE_SPEND: &str = "SMSMonthToDateSpentUSD";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricSeries {
    /// Metric name (from `Label`, or the CSV header).
    pub label: String,
    /// The statistic the values are (`Maximum`, `Sum`, ...), when the export says.
    pub stat: Option<String>,
    /// (epoch ms, value), sorted by time.
    pub points: Vec<(i64, f64)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SmsSettings {
    pub monthly_spend_limit_usd: Option<f64>,
    pub success_sampling_rate: Option<f64>,
    pub default_sms_type: Option<String>,
}
