//! providerResponse → outcome class, per `provider-responses.md`: exact match first, then case-insensitive
//! substring rules so that wording drift (and the pre-2020 "blacklisted" wording) still classifies.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Delivered,
    SpendLimit,
    MaxPrice,
    CarrierBlocked,
    Spam,
    InvalidMessage,
    InvalidNumber,
    OptedOut,
    RecipientBlocked,
    DestinationBlocked,
    Unreachable,
    CarrierUnreachable,
    ProtectBlocked,
    TtlExpired,
    Unknown,
}

impl Class {
    pub const ALL: [Class; 15] = [
        Class::Delivered,
        Class::SpendLimit,
        Class::MaxPrice,
        Class::CarrierBlocked,
        Class::Spam,
        Class::InvalidMessage,
        Class::InvalidNumber,
        Class::OptedOut,
        Class::RecipientBlocked,
        Class::DestinationBlocked,
        Class::Unreachable,
        Class::CarrierUnreachable,
        Class::ProtectBlocked,
        Class::TtlExpired,
        Class::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Delivered => "delivered",
            Class::SpendLimit => "spend_limit",
            Class::MaxPrice => "max_price",
            Class::CarrierBlocked => "carrier_blocked",
            Class::Spam => "spam",
            Class::InvalidMessage => "invalid_message",
            Class::InvalidNumber => "invalid_number",
            Class::OptedOut => "opted_out",
            Class::RecipientBlocked => "recipient_blocked",
            Class::DestinationBlocked => "destination_blocked",
            Class::Unreachable => "unreachable",
            Class::CarrierUnreachable => "carrier_unreachable",
            Class::ProtectBlocked => "protect_blocked",
            Class::TtlExpired => "ttl_expired",
            Class::Unknown => "unknown",
        }
    }

    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(c: u32) -> Class {
        Class::ALL
            .get(c as usize)
            .copied()
            .unwrap_or(Class::Unknown)
    }
}

/// Classifies one providerResponse. `None` means the record had none.
pub fn classify(provider_response: Option<&str>) -> Class {
    let Some(s) = provider_response else {
        return Class::Unknown;
    };
    match s {
        "Message has been accepted by phone carrier"
        | "Message has been accepted by phone"
        | "Delivered" => Class::Delivered,
        "No quota left for account" => Class::SpendLimit,
        "This delivery would exceed max price" => Class::MaxPrice,
        "Phone carrier has blocked this message" => Class::CarrierBlocked,
        "Blocked as spam by phone carrier" => Class::Spam,
        "Message body is invalid" => Class::InvalidMessage,
        "Invalid phone number" => Class::InvalidNumber,
        "Phone number is opted out" => Class::OptedOut,
        "Phone has blocked SMS" | "Phone is on a blocked list" | "Phone is blacklisted" => {
            Class::RecipientBlocked
        }
        "Destination is on a blocked list" | "Destination is blacklisted" => {
            Class::DestinationBlocked
        }
        "Phone is currently unreachable/unavailable" => Class::Unreachable,
        "Phone carrier is currently unreachable/unavailable" => Class::CarrierUnreachable,
        "Unknown error attempting to reach phone" => Class::Unknown,
        _ => classify_fuzzy(s),
    }
}

/// Substring rules, most specific first.
fn classify_fuzzy(s: &str) -> Class {
    let l = s.to_ascii_lowercase();
    let has = |p: &str| l.contains(p);
    if has("quota") {
        Class::SpendLimit
    } else if has("max price") || has("maxprice") {
        Class::MaxPrice
    } else if has("spam") {
        Class::Spam
    } else if has("carrier") && has("blocked") {
        Class::CarrierBlocked
    } else if has("body") && has("invalid") {
        Class::InvalidMessage
    } else if has("invalid") && (has("number") || has("phone")) {
        Class::InvalidNumber
    } else if has("opted out") || has("opt-out") || has("opted-out") {
        Class::OptedOut
    } else if has("destination") && (has("blocked list") || has("blacklist") || has("blocklist")) {
        Class::DestinationBlocked
    } else if has("blocked sms") || has("blocked list") || has("blacklist") || has("blocklist") {
        Class::RecipientBlocked
    } else if has("carrier") && (has("unreachable") || has("unavailable")) {
        Class::CarrierUnreachable
    } else if has("unreachable") || has("unavailable") {
        Class::Unreachable
    } else if has("accepted by") || s.eq_ignore_ascii_case("delivered") {
        Class::Delivered
    } else {
        Class::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_table_entries() {
        assert_eq!(
            classify(Some("No quota left for account")),
            Class::SpendLimit
        );
        assert_eq!(classify(Some("Delivered")), Class::Delivered);
        assert_eq!(
            classify(Some("Phone is blacklisted")),
            Class::RecipientBlocked
        );
        assert_eq!(
            classify(Some("Unknown error attempting to reach phone")),
            Class::Unknown
        );
    }

    #[test]
    fn wording_drift_still_classifies() {
        assert_eq!(
            classify(Some("no quota left for this account")),
            Class::SpendLimit
        );
        assert_eq!(
            classify(Some("Destination is blacklisted by carrier")),
            Class::DestinationBlocked
        );
        assert_eq!(
            classify(Some("The phone carrier has blocked this message.")),
            Class::CarrierBlocked
        );
        assert_eq!(
            classify(Some("Phone carrier is currently unavailable")),
            Class::CarrierUnreachable
        );
        assert_eq!(
            classify(Some("Phone is currently unreachable")),
            Class::Unreachable
        );
        assert_eq!(classify(Some("Something new (code 4051)")), Class::Unknown);
        assert_eq!(classify(None), Class::Unknown);
    }

    #[test]
    fn codes_round_trip() {
        for c in Class::ALL {
            assert_eq!(Class::from_code(c.code()), c);
        }
    }
}
