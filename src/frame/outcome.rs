//! A record's outcome, whatever its dialect: SNS says it with `status` and the providerResponse text; End
//! User Messaging with its `eventType` (and `isFinal`); Pinpoint with `event_type` and `record_status`.

use crate::domain::outcome::{class_of_event_type, class_of_status, classify, Class};
use crate::record::{Record, RecordError, Status};

/// What one record says of its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The message's final outcome; the class when the source names it (else it comes from the
    /// providerResponse text).
    Final(Status, Option<Class>),
    /// An event that only says the message is under way (TEXT_PENDING, `isFinal: false`, _SMS.BUFFERED).
    InFlight,
    /// An event of another channel (voice, MMS, RCS, e-mail), not an SMS.
    OtherChannel,
}

fn final_of(class: Class) -> Outcome {
    let status = if class == Class::Delivered {
        Status::Success
    } else {
        Status::Failure
    };
    Outcome::Final(status, Some(class))
}

/// The outcome a record states.
pub fn resolve(rec: &Record<'_>) -> Result<Outcome, RecordError> {
    if let Some(t) = rec.event_type.as_deref() {
        return Ok(event_outcome(rec, t));
    }
    if let Some(e) = rec.pinpoint_event.as_deref() {
        return Ok(pinpoint_outcome(rec, e));
    }
    if rec.status.is_none() {
        if let Some(w) = rec.status_word.as_deref() {
            return Ok(match class_of_status(w) {
                Some(Some(c)) => final_of(c),
                Some(None) => Outcome::InFlight,
                None => final_of(Class::Unknown),
            });
        }
    }
    let status = match (rec.status, rec.provider_response.as_deref()) {
        (Some(s), _) => s,
        (None, Some(pr)) if classify(Some(pr)) == Class::Delivered => Status::Success,
        (None, Some(_)) => Status::Failure,
        (None, None) => return Err(RecordError::NotARecord),
    };
    Ok(Outcome::Final(status, None))
}

/// End User Messaging: the event type decides; `isFinal: false` is in flight whatever the type.
fn event_outcome(rec: &Record<'_>, t: &str) -> Outcome {
    if rec.is_final == Some(false) {
        return Outcome::InFlight;
    }
    match class_of_event_type(t) {
        Some(Some(c)) => final_of(c),
        Some(None) => Outcome::InFlight,
        // A text event type smslens does not know yet: final only when the event says so.
        None if t.starts_with("TEXT_") && rec.is_final == Some(true) => final_of(Class::Unknown),
        None if t.starts_with("TEXT_") => Outcome::InFlight,
        None => Outcome::OtherChannel,
    }
}

/// Pinpoint: `_SMS.SUCCESS` / `_SMS.FAILURE` with the class of their `record_status`, opt-outs as such.
fn pinpoint_outcome(rec: &Record<'_>, e: &str) -> Outcome {
    let word = rec.status_word.as_deref().and_then(class_of_status);
    match e {
        "_SMS.BUFFERED" | "_SMS.SEND" => Outcome::InFlight,
        "_SMS.OPTOUT" => final_of(Class::OptedOut),
        "_SMS.SUCCESS" | "_SMS.FAILURE" => match word {
            Some(Some(c)) => final_of(c),
            Some(None) => Outcome::InFlight,
            None if e == "_SMS.SUCCESS" => final_of(Class::Delivered),
            None => final_of(Class::Unknown),
        },
        _ if e.starts_with("_SMS.") => match word {
            Some(Some(c)) => final_of(c),
            _ => Outcome::InFlight,
        },
        _ => Outcome::OtherChannel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn eum(t: &str, is_final: Option<bool>) -> Outcome {
        let rec = Record {
            event_type: Some(Cow::Borrowed(t)),
            is_final,
            ..Record::default()
        };
        resolve(&rec).unwrap()
    }

    #[test]
    fn end_user_messaging_events() {
        assert_eq!(
            eum("TEXT_DELIVERED", Some(true)),
            final_of(Class::Delivered)
        );
        assert_eq!(eum("TEXT_SUCCESSFUL", Some(false)), Outcome::InFlight);
        assert_eq!(eum("TEXT_PENDING", None), Outcome::InFlight);
        assert_eq!(
            eum("TEXT_CARRIER_BLOCKED", None),
            final_of(Class::CarrierBlocked)
        );
        assert_eq!(
            eum("TEXT_SOMETHING_NEW", Some(true)),
            final_of(Class::Unknown)
        );
        assert_eq!(eum("VOICE_COMPLETED", Some(true)), Outcome::OtherChannel);
    }

    #[test]
    fn pinpoint_events() {
        let pp = |e: &str, status: Option<&str>| {
            let rec = Record {
                pinpoint_event: Some(Cow::Borrowed(e)),
                status_word: status.map(Cow::Borrowed),
                ..Record::default()
            };
            resolve(&rec).unwrap()
        };
        assert_eq!(
            pp("_SMS.SUCCESS", Some("DELIVERED")),
            final_of(Class::Delivered)
        );
        assert_eq!(
            pp("_SMS.FAILURE", Some("MAX_PRICE_EXCEEDED")),
            final_of(Class::MaxPrice)
        );
        assert_eq!(pp("_SMS.BUFFERED", None), Outcome::InFlight);
        assert_eq!(pp("_SMS.OPTOUT", None), final_of(Class::OptedOut));
        assert_eq!(pp("_email.send", None), Outcome::OtherChannel);
    }
}
