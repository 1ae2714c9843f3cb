//! Success sampling: SNS may log only a share of successful deliveries (`DeliveryStatusSuccessSamplingRate`;
//! failures are always all logged), so counts and rates re-weight successes by `100 / rate`.

/// Successes are scaled by `100 / rate` when only a sample of them was logged.
pub fn success_weight(sample_rate_pct: Option<f64>) -> f64 {
    match sample_rate_pct {
        Some(r) if r > 0.0 && r < 100.0 => 100.0 / r,
        _ => 1.0,
    }
}

/// Failed share of (re-weighted) sends, 0..1.
pub fn failure_rate(events: u64, failed: u64, weight: f64) -> f64 {
    let delivered = events.saturating_sub(failed) as f64 * weight;
    let total = delivered + failed as f64;
    if total > 0.0 {
        failed as f64 / total
    } else {
        0.0
    }
}
