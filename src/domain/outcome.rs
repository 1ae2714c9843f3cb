//! Outcome classes: what a delivery's outcome means and what the operator does about it, as ONE table
//! ([`OUTCOMES`], from `provider-responses.md`): the SNS providerResponse texts, the End User Messaging
//! event types and the status words (End User Messaging `messageStatus`, Pinpoint `record_status`) of each
//! class. A providerResponse is matched exactly first, then by case-insensitive substring rules, so that
//! wording drift (and the pre-2020 "blacklisted" wording) still classifies.

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
    AccountReview,
    Throttled,
    Unknown,
}

/// How urgent a finding is: whether users cannot sign in now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    /// `critical`, `warning`, `info` (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Text that may name the account's monthly spend limit.
#[derive(Debug, Clone, Copy)]
pub enum Phrase {
    Plain(&'static str),
    /// `known` has `{limit}` where the limit (USD) goes; `unknown` is said when no limit is known.
    WithLimit {
        known: &'static str,
        unknown: &'static str,
    },
}

impl Phrase {
    pub fn render(self, limit_usd: Option<f64>) -> String {
        match (self, limit_usd) {
            (Phrase::Plain(s), _) => s.to_owned(),
            (Phrase::WithLimit { known, .. }, Some(l)) => known.replace("{limit}", &l.to_string()),
            (Phrase::WithLimit { unknown, .. }, None) => unknown.to_owned(),
        }
    }
}

/// One row of the outcome table.
#[derive(Debug)]
pub struct Outcome {
    pub class: Class,
    /// Stable identifier (JSON, tables, finding kinds).
    pub id: &'static str,
    /// providerResponse texts of this class, exactly as SNS writes them.
    pub responses: &'static [&'static str],
    /// End User Messaging SMS `eventType`s of this class (final outcomes only).
    pub event_types: &'static [&'static str],
    /// End User Messaging `messageStatus` and legacy Pinpoint `record_status` words of this class.
    pub statuses: &'static [&'static str],
    /// Title of the finding this class raises.
    pub title: Phrase,
    /// What it means, in a sentence.
    pub meaning: &'static str,
    /// What the operator does.
    pub remedy: &'static str,
    pub severity: Severity,
    /// How the verdict explains it ("... : <because>"); `None` = the title, lower-cased.
    pub because: Option<Phrase>,
    /// The verdict adds where the class concentrates (country, carrier).
    pub because_names_concentration: bool,
    /// Share of texts at which this class is ordinary background in a healthy month (handsets off,
    /// numbers changing hands, the odd carrier hiccup): a class steadily above it, with no change to
    /// compare against, is a finding of its own. 0 for classes that never happen to a healthy account.
    /// Deliberately generous: these are not fitted to any data set, they only separate "normal"
    /// from "look at this" when the logs hold no period to compare with.
    pub normal_rate: f64,
    /// A property of the recipient (their number, their choice, their handset): the same users fail
    /// this way again and again, so a user who already failed before a change is no sign of it.
    pub per_recipient: bool,
}

/// Every class, in [`Class`] order (a test holds the two together).
pub const OUTCOMES: [Outcome; 17] = [
    Outcome {
        class: Class::Delivered,
        id: "delivered",
        responses: &["Message has been accepted by phone carrier", "Message has been accepted by phone", "Delivered"],
        event_types: &["TEXT_SUCCESSFUL", "TEXT_DELIVERED"],
        statuses: &["SUCCESSFUL", "DELIVERED"],
        title: Phrase::Plain("Delivered"),
        meaning: "the carrier (or handset) accepted the message; not proof the user saw it",
        remedy: "",
        severity: Severity::Info,
        because: None,
        because_names_concentration: false,
        normal_rate: 1.0,
        per_recipient: false,
    },
    Outcome {
        class: Class::SpendLimit,
        id: "spend_limit",
        responses: &["No quota left for account"],
        event_types: &[],
        statuses: &["NO_QUOTA_LEFT"],
        title: Phrase::WithLimit {
            known: "Monthly SMS spend limit ({limit} USD) reached: SNS stopped sending",
            unknown: "Monthly SMS spend limit reached: SNS stopped sending",
        },
        meaning: "the account's MonthlySpendLimit was reached: SNS stops sending within minutes",
        remedy: "Compare SMSMonthToDateSpentUSD (Maximum) with the limit; raise MonthlySpendLimit (aws sns set-sms-attributes) and, above the service quota, request a quota increase; add a CloudWatch alarm on SMSMonthToDateSpentUSD at about 80% of the limit.",
        severity: Severity::Critical,
        because: Some(Phrase::WithLimit {
            known: "the {limit} USD monthly spend limit was reached",
            unknown: "the account's monthly spend limit was reached",
        }),
        because_names_concentration: false,
        normal_rate: 0.0,
        per_recipient: false,
    },
    Outcome {
        class: Class::MaxPrice,
        id: "max_price",
        responses: &["This delivery would exceed max price"],
        event_types: &[],
        statuses: &["MAX_PRICE_EXCEEDED"],
        title: Phrase::Plain("Texts priced above the per-message MaxPrice"),
        meaning: "the per-message AWS.SNS.SMS.MaxPrice is lower than the route's price",
        remedy: "The per-message AWS.SNS.SMS.MaxPrice is below the route's price: raise or remove MaxPrice.",
        severity: Severity::Critical,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.0,
        per_recipient: false,
    },
    Outcome {
        class: Class::CarrierBlocked,
        id: "carrier_blocked",
        responses: &["Phone carrier has blocked this message"],
        event_types: &["TEXT_CARRIER_BLOCKED"],
        statuses: &["CARRIER_BLOCKED"],
        title: Phrase::Plain("Carriers blocked the texts"),
        meaning: "the carrier filtered the message (content, sender, unregistered route)",
        remedy: "Customise the Cognito SMS template, use a registered origination identity (toll-free, 10DLC, or a sender ID where required) and check the country's rules (e.g. India DLT entity and template ids).",
        severity: Severity::Critical,
        because: Some(Phrase::Plain("carriers are filtering the texts")),
        because_names_concentration: true,
        normal_rate: 0.005,
        per_recipient: false,
    },
    Outcome {
        class: Class::Spam,
        id: "spam",
        responses: &["Blocked as spam by phone carrier"],
        event_types: &["TEXT_SPAM"],
        statuses: &["SPAM"],
        title: Phrase::Plain("Carriers classed the texts as spam"),
        meaning: "the carrier classed the message as spam",
        remedy: "As for carrier blocking, and avoid URLs and promotional wording in one-time-code texts.",
        severity: Severity::Critical,
        because: Some(Phrase::Plain("carriers are filtering the texts")),
        because_names_concentration: true,
        normal_rate: 0.002,
        per_recipient: false,
    },
    Outcome {
        class: Class::InvalidMessage,
        id: "invalid_message",
        responses: &["Message body is invalid"],
        event_types: &["TEXT_INVALID_MESSAGE"],
        statuses: &["INVALID_MESSAGE"],
        title: Phrase::Plain("Message body rejected"),
        meaning: "the body was rejected (encoding, length, missing template registration)",
        remedy: "Fix the message template; for India supply AWS.MM.SMS.EntityId and TemplateId.",
        severity: Severity::Critical,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.0,
        per_recipient: false,
    },
    Outcome {
        class: Class::InvalidNumber,
        id: "invalid_number",
        responses: &["Invalid phone number"],
        event_types: &["TEXT_INVALID"],
        statuses: &["INVALID"],
        title: Phrase::Plain("Invalid phone numbers"),
        meaning: "the destination is not a valid number",
        remedy: "Fix these users' phone_number attribute (E.164, with country code); do not retry.",
        severity: Severity::Warning,
        because: Some(Phrase::Plain("the phone numbers are invalid")),
        because_names_concentration: false,
        normal_rate: 0.005,
        per_recipient: true,
    },
    Outcome {
        class: Class::OptedOut,
        id: "opted_out",
        responses: &["Phone number is opted out"],
        event_types: &[],
        statuses: &["OPTED_OUT"],
        title: Phrase::Plain("Recipients opted out of SMS"),
        meaning: "the recipient replied STOP (or similar) earlier",
        remedy: "The recipients replied STOP: check with aws sns check-if-phone-number-is-opted-out; opt them back in (opt-in-phone-number, once every 30 days) only after they ask.",
        severity: Severity::Warning,
        because: Some(Phrase::Plain("the recipients opted out of SMS")),
        because_names_concentration: false,
        normal_rate: 0.005,
        per_recipient: true,
    },
    Outcome {
        class: Class::RecipientBlocked,
        id: "recipient_blocked",
        responses: &["Phone has blocked SMS", "Phone is on a blocked list", "Phone is blacklisted"],
        event_types: &["TEXT_BLOCKED"],
        statuses: &["BLOCKED"],
        title: Phrase::Plain("Phones block SMS or are on a blocked list"),
        meaning: "the handset or subscription blocks SMS, or the number is on a blocked list",
        remedy: "The handset or subscription blocks SMS: the user must allow it; offer another MFA factor (TOTP).",
        severity: Severity::Warning,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.003,
        per_recipient: true,
    },
    Outcome {
        class: Class::DestinationBlocked,
        id: "destination_blocked",
        responses: &["Destination is on a blocked list", "Destination is blacklisted"],
        event_types: &[],
        statuses: &[],
        title: Phrase::Plain("Destinations on a blocked list"),
        meaning: "the destination (country or number range) is blocked",
        remedy: "The destination (country or number range) is blocked: check SNS country support and your account's restrictions.",
        severity: Severity::Warning,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.001,
        per_recipient: true,
    },
    Outcome {
        class: Class::Unreachable,
        id: "unreachable",
        responses: &["Phone is currently unreachable/unavailable"],
        event_types: &["TEXT_UNREACHABLE"],
        statuses: &["UNREACHABLE"],
        title: Phrase::Plain("Phones unreachable"),
        meaning: "the handset is off or out of coverage",
        remedy: "Handsets off or out of coverage: transient for a user, but a number failing every time is dead; offer another factor.",
        severity: Severity::Info,
        because: Some(Phrase::Plain("the phones were off or out of coverage")),
        because_names_concentration: false,
        normal_rate: 0.05,
        per_recipient: true,
    },
    Outcome {
        class: Class::CarrierUnreachable,
        id: "carrier_unreachable",
        responses: &["Phone carrier is currently unreachable/unavailable"],
        event_types: &["TEXT_CARRIER_UNREACHABLE"],
        statuses: &["CARRIER_UNREACHABLE"],
        title: Phrase::Plain("Carrier network unreachable"),
        meaning: "a transient carrier-network error",
        remedy: "Transient carrier-network errors: retry. Concentrated on one carrier it is an outage: open an AWS support case with 3 message ids, the region and timestamps.",
        severity: Severity::Warning,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.01,
        per_recipient: false,
    },
    Outcome {
        class: Class::ProtectBlocked,
        id: "protect_blocked",
        responses: &[],
        event_types: &["TEXT_PROTECT_BLOCKED"],
        statuses: &["PROTECT_BLOCKED"],
        title: Phrase::Plain("Blocked by SMS protect"),
        meaning: "an End User Messaging protect configuration blocked the message",
        remedy: "Blocked by SMS protect (End User Messaging): review the protect configuration for the destination country.",
        severity: Severity::Warning,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.0,
        per_recipient: false,
    },
    Outcome {
        class: Class::TtlExpired,
        id: "ttl_expired",
        responses: &["The delivery TTL has expired"],
        event_types: &["TEXT_TTL_EXPIRED"],
        statuses: &["TTL_EXPIRED"],
        title: Phrase::Plain("Texts expired before delivery"),
        meaning: "End User Messaging gave up before the carrier accepted the message",
        remedy: "The message expired before delivery: check carrier delays and the message TTL.",
        severity: Severity::Warning,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.005,
        per_recipient: false,
    },
    Outcome {
        class: Class::AccountReview,
        id: "account_review",
        responses: &["Your account requires additional review prior to being able to send SMS messages. Please create a support ticket with an explanation of your use case. https://console.aws.amazon.com/support/cases#/create?issueType=service-limit-increase&limitType=service-code-sns-text-messaging"],
        event_types: &[],
        statuses: &[],
        title: Phrase::Plain("Account in the SMS sandbox or under review: only verified numbers receive texts"),
        meaning: "the account is in the SMS sandbox or under review: texts reach only verified destination numbers",
        remedy: "Open the support case the message links to (SMS production access / sandbox exit) with your use case; meanwhile verify test numbers; check describe-user-pool for SmsConfigurationFailure: SNSSandbox.",
        severity: Severity::Critical,
        because: Some(Phrase::Plain("the account is in the SMS sandbox or under review, so only verified numbers receive texts")),
        because_names_concentration: false,
        normal_rate: 0.0,
        per_recipient: false,
    },
    Outcome {
        class: Class::Throttled,
        id: "throttled",
        responses: &["Rate exceeded"],
        event_types: &[],
        statuses: &[],
        title: Phrase::Plain("Texts throttled (Rate exceeded)"),
        meaning: "more texts per second than the account's or the origination identity's throughput",
        remedy: "Spread the sends and retry with backoff; request a higher MPS (texts per second) or send from an origination identity with more throughput.",
        severity: Severity::Warning,
        because: Some(Phrase::Plain("more texts per second were sent than the account allows")),
        because_names_concentration: false,
        normal_rate: 0.0,
        per_recipient: false,
    },
    Outcome {
        class: Class::Unknown,
        id: "unknown",
        responses: &["Unknown error attempting to reach phone"],
        event_types: &["TEXT_UNKNOWN"],
        statuses: &["UNKNOWN"],
        title: Phrase::Plain("Unknown delivery errors"),
        meaning: "a failure not otherwise classified; may be transient or permanent",
        remedy: "Retry; if persistent or concentrated on one carrier or country, open an AWS support case with 3 message ids, the region and timestamps.",
        severity: Severity::Info,
        because: None,
        because_names_concentration: false,
        normal_rate: 0.02,
        per_recipient: false,
    },
];

impl Class {
    pub const ALL: [Class; 17] = {
        let mut all = [Class::Unknown; 17];
        let mut i = 0;
        while i < OUTCOMES.len() {
            all[i] = OUTCOMES[i].class;
            i += 1;
        }
        all
    };

    /// This class's row of the table.
    pub fn outcome(self) -> &'static Outcome {
        &OUTCOMES[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.outcome().id
    }

    pub fn code(self) -> u32 {
        self as u32
    }

    /// The class whose id (`as_str`) is `id`; None for one this build does not know.
    pub fn from_id(id: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == id)
    }

    pub fn from_code(c: u32) -> Class {
        Class::ALL
            .get(c as usize)
            .copied()
            .unwrap_or(Class::Unknown)
    }
}

/// End User Messaging events and Pinpoint statuses that only say a message is in flight.
pub const IN_FLIGHT_EVENT_TYPES: [&str; 3] = ["TEXT_SENT", "TEXT_PENDING", "TEXT_QUEUED"];
pub const IN_FLIGHT_STATUSES: [&str; 4] = ["PENDING", "QUEUED", "SENT", "BUFFERED"];

/// The class of an End User Messaging `eventType` (`TEXT_*`): `Some(None)` for an in-flight event,
/// `None` for a type of no class (another channel, or a new one).
pub fn class_of_event_type(t: &str) -> Option<Option<Class>> {
    if IN_FLIGHT_EVENT_TYPES.contains(&t) {
        return Some(None);
    }
    OUTCOMES
        .iter()
        .find(|o| o.event_types.contains(&t))
        .map(|o| Some(o.class))
}

/// The class of a status word (`messageStatus`, `record_status`), in any case: `Some(None)` for in flight.
pub fn class_of_status(s: &str) -> Option<Option<Class>> {
    let up = s.trim().to_ascii_uppercase();
    if IN_FLIGHT_STATUSES.contains(&up.as_str()) {
        return Some(None);
    }
    OUTCOMES
        .iter()
        .find(|o| o.statuses.contains(&up.as_str()))
        .map(|o| Some(o.class))
}

/// Classifies one providerResponse. `None` means the record had none.
pub fn classify(provider_response: Option<&str>) -> Class {
    let Some(s) = provider_response else {
        return Class::Unknown;
    };
    OUTCOMES
        .iter()
        .find(|o| o.responses.contains(&s))
        .map_or_else(|| classify_fuzzy(s), |o| o.class)
}

/// Substring rules, most specific first.
fn classify_fuzzy(s: &str) -> Class {
    let l = s.to_ascii_lowercase();
    let has = |p: &str| l.contains(p);
    if has("additional review") || has("sandbox") {
        Class::AccountReview
    } else if has("rate exceeded") || has("throttl") {
        Class::Throttled
    } else if has("quota") {
        Class::SpendLimit
    } else if has("ttl") && has("expired") {
        Class::TtlExpired
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
    fn the_table_is_in_class_order() {
        for (i, o) in OUTCOMES.iter().enumerate() {
            assert_eq!(o.class as usize, i, "{}", o.id);
            assert_eq!(serde_json::to_value(o.class).unwrap(), o.id);
            assert_eq!(o.remedy.is_empty(), o.class == Class::Delivered, "{}", o.id);
        }
    }

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
        for o in &OUTCOMES {
            for r in o.responses {
                assert_eq!(classify(Some(r)), o.class, "{r}");
            }
        }
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
        assert_eq!(
            classify(Some("Your account requires additional review prior to being able to send SMS messages. Please create a support ticket with an explanation of your use case. https://console.aws.amazon.com/support/cases#/create?issueType=service-limit-increase&limitType=service-code-sns-text-messaging")),
            Class::AccountReview
        );
        assert_eq!(classify(Some("Rate exceeded")), Class::Throttled);
        assert_eq!(classify(Some("+14155550102 is opted out")), Class::OptedOut);
        assert_eq!(
            classify(Some("The delivery TTL has expired")),
            Class::TtlExpired
        );
        assert_eq!(classify(Some("Unhandled provider")), Class::Unknown);
        assert_eq!(classify(None), Class::Unknown);
    }

    #[test]
    fn end_user_messaging_and_pinpoint_words_map_onto_the_classes() {
        assert_eq!(
            class_of_event_type("TEXT_DELIVERED"),
            Some(Some(Class::Delivered))
        );
        assert_eq!(
            class_of_event_type("TEXT_PROTECT_BLOCKED"),
            Some(Some(Class::ProtectBlocked))
        );
        assert_eq!(class_of_event_type("TEXT_PENDING"), Some(None));
        assert_eq!(class_of_event_type("VOICE_ANSWERED"), None);
        assert_eq!(
            class_of_status("ttl_expired"),
            Some(Some(Class::TtlExpired))
        );
        assert_eq!(
            class_of_status("NO_QUOTA_LEFT"),
            Some(Some(Class::SpendLimit))
        );
        assert_eq!(class_of_status("QUEUED"), Some(None));
        for o in &OUTCOMES {
            for t in o.event_types {
                assert_eq!(class_of_event_type(t), Some(Some(o.class)), "{t}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for c in Class::ALL {
            assert_eq!(Class::from_code(c.code()), c);
        }
    }

    #[test]
    fn phrases_name_the_limit_when_known() {
        let t = Class::SpendLimit.outcome().title;
        assert_eq!(
            t.render(Some(60.0)),
            "Monthly SMS spend limit (60 USD) reached: SNS stopped sending"
        );
        assert_eq!(
            t.render(None),
            "Monthly SMS spend limit reached: SNS stopped sending"
        );
    }
}
