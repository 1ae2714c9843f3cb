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

/// How a Cognito user pool sends its texts (`describe-user-pool`, formats.md §7.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SmsPath {
    /// Through Amazon SNS, in `sns_region` when the pool names one (it can differ from the pool's own).
    Sns { sns_region: Option<String> },
    /// Through End User Messaging SMS directly (`EumsSms`), with its configuration set if any.
    EndUserMessaging { configuration_set: Option<String> },
}

/// A Cognito user pool's SMS settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPool {
    pub id: Option<String>,
    /// The pool's own region and account, from its `Arn`.
    pub region: Option<String>,
    pub account: Option<String>,
    pub sms_path: Option<SmsPath>,
    /// `SmsConfigurationFailure`, split (`SNSSandbox`, `InvalidSmsRoleAccessPolicyException`, ...).
    pub sms_failures: Vec<String>,
    pub mfa: Option<String>,
}

/// End User Messaging's text spend limit (`aws pinpoint-sms-voice-v2 describe-spend-limits`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendLimits {
    /// The limit in force: `EnforcedLimit` when `Overridden`, else `MaxLimit` (USD).
    pub text_limit_usd: Option<f64>,
    pub enforced_usd: Option<f64>,
    pub max_usd: Option<f64>,
    pub overridden: Option<bool>,
}
