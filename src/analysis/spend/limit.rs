//! Which monthly spend limit applies. SNS has one (`get-sms-attributes` MonthlySpendLimit), End User
//! Messaging another (`describe-spend-limits`); the one that stops a user pool's texts is the one of the path
//! it sends through (`describe-user-pool`), else of the source its records came from. `--spend-limit` beats
//! every file.

use polars::prelude::*;

use crate::analysis::collector::Collected;
use crate::analysis::cube;
use crate::frame::Received;
use crate::record::metric::SmsPath;
use crate::record::types::SourceKind;

pub struct Chosen {
    pub usd: Option<f64>,
    /// "flag", or the settings file it came from.
    pub source: Option<String>,
    /// Why, when the inputs gave two different limits.
    pub note: Option<String>,
}

pub fn choose(c: &Collected, ing: &Received, flag: Option<f64>) -> PolarsResult<Chosen> {
    if let Some(l) = flag {
        return Ok(Chosen {
            usd: Some(l),
            source: Some("flag".into()),
            note: None,
        });
    }
    let sns = ing
        .settings
        .iter()
        .find_map(|(p, s)| s.monthly_spend_limit_usd.map(|l| (l, p.clone())));
    let eum = ing
        .spend_limits
        .iter()
        .find_map(|(p, s)| s.text_limit_usd.map(|l| (l, p.clone())));
    let (sns, eum) = match (sns, eum) {
        (None, None) => return Ok(none()),
        (Some((l, p)), None) | (None, Some((l, p))) => return Ok(one(l, p)),
        (Some(s), Some(e)) => (s, e),
    };
    if sns.0 == eum.0 {
        return Ok(one(sns.0, sns.1));
    }
    let path = ing.user_pools.iter().find_map(|(_, p)| p.sms_path.as_ref());
    let (use_eum, why) = match path {
        Some(SmsPath::EndUserMessaging { .. }) => (
            true,
            "the user pool sends through End User Messaging directly (describe-user-pool)",
        ),
        Some(SmsPath::Sns { .. }) => (
            false,
            "the user pool sends through SNS (describe-user-pool)",
        ),
        None if mostly_end_user_messaging(c)? => (true, "the texts are End User Messaging events"),
        None => (false, "the texts are SNS delivery-status records"),
    };
    let (used, other, used_name, other_name) = if use_eum {
        (eum, sns, "End User Messaging", "SNS")
    } else {
        (sns, eum, "SNS", "End User Messaging")
    };
    Ok(Chosen {
        usd: Some(used.0),
        source: Some(used.1),
        note: Some(format!(
            "the {used_name} limit ({} USD) applies, not the {other_name} one ({} USD): {why}",
            used.0, other.0
        )),
    })
}

fn none() -> Chosen {
    Chosen {
        usd: None,
        source: None,
        note: None,
    }
}

fn one(usd: f64, path: String) -> Chosen {
    Chosen {
        usd: Some(usd),
        source: Some(path),
        note: None,
    }
}

fn mostly_end_user_messaging(c: &Collected) -> PolarsResult<bool> {
    let r = cube::rollup(&c.cube, &[cube::SOURCE_KIND])?;
    let (k, ev) = (
        cube::u32s(&r, cube::SOURCE_KIND)?,
        cube::u64s(&r, cube::EVENTS)?,
    );
    let (mut eum, mut other) = (0, 0);
    for (k, n) in k.iter().zip(ev) {
        if SourceKind::from_code(*k).is_event_stream() {
            eum += n;
        } else {
            other += n;
        }
    }
    Ok(eum > other)
}
