//! The keys of an SNS delivery record and the field each holds: the one table that the fast path, the full
//! parser and the flattened (Logs Insights) reader all read.

/// A modelled field of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    MessageId,
    Timestamp,
    Status,
    ProviderResponse,
    Destination,
    Carrier,
    SmsType,
    Mcc,
    Mnc,
    Price,
    Parts,
    Dwell,
    DwellAck,
}

/// Where a key sits: at the top of the record, or in one of its two objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Top,
    Notification,
    Delivery,
}

impl Object {
    /// The object a top-level key opens.
    #[inline(always)]
    pub fn named(key: &str) -> Option<Object> {
        match key {
            "notification" => Some(Object::Notification),
            "delivery" => Some(Object::Delivery),
            _ => None,
        }
    }

    /// How an unmodelled key of this object is reported (`delivery.foo`).
    pub fn qualified(self, key: &str) -> String {
        match self {
            Object::Top => key.to_owned(),
            Object::Notification => format!("notification.{key}"),
            Object::Delivery => format!("delivery.{key}"),
        }
    }
}

macro_rules! fields {
    ($($object:ident . $key:literal => $field:ident),* $(,)?) => {
        /// Every (object, key, field), in the order SNS writes them.
        pub const FIELDS: &[(Object, &str, Field)] = &[$((Object::$object, $key, Field::$field)),*];

        /// The field that `key` of `object` holds. A `match` on the same rows, so that the hot path
        /// compares no more than it must.
        #[inline(always)]
        pub fn field(object: Object, key: &str) -> Option<Field> {
            match (object, key) {
                $((Object::$object, $key) => Some(Field::$field),)*
                _ => None,
            }
        }
    };
}

fields! {
    Notification."messageId" => MessageId,
    Notification."timestamp" => Timestamp,
    Delivery."phoneCarrier" => Carrier,
    Delivery."mnc" => Mnc,
    Delivery."numberOfMessageParts" => Parts,
    Delivery."destination" => Destination,
    Delivery."priceInUSD" => Price,
    Delivery."smsType" => SmsType,
    Delivery."mcc" => Mcc,
    Delivery."providerResponse" => ProviderResponse,
    Delivery."dwellTimeMs" => Dwell,
    Delivery."dwellTimeMsUntilDeviceAck" => DwellAck,
    Top."status" => Status,
}

/// The field of a flattened column name as Logs Insights writes it (`delivery.providerResponse`) or as a
/// query aliases it (`providerResponse`): the last dotted part, in any case. `timestamp` counts only as
/// `notification.timestamp` (Insights has its own `@timestamp`).
pub fn flat_field(name: &str) -> Option<Field> {
    let short = name.rsplit('.').next().unwrap_or(name);
    let (_, _, field) = FIELDS
        .iter()
        .find(|(_, key, _)| key.eq_ignore_ascii_case(short))?;
    match field {
        Field::Timestamp if !name.starts_with("notification") => None,
        f => Some(*f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_match_and_the_table_agree() {
        for &(object, key, f) in FIELDS {
            assert_eq!(field(object, key), Some(f), "{key}");
            assert_eq!(field(object, &key.to_uppercase()), None, "keys are exact");
        }
        assert_eq!(field(Object::Delivery, "messageId"), None);
    }

    #[test]
    fn flattened_names() {
        assert_eq!(
            flat_field("delivery.providerResponse"),
            Some(Field::ProviderResponse)
        );
        assert_eq!(
            flat_field("PROVIDERRESPONSE"),
            Some(Field::ProviderResponse)
        );
        assert_eq!(flat_field("notification.timestamp"), Some(Field::Timestamp));
        assert_eq!(flat_field("timestamp"), None);
        assert_eq!(flat_field("status"), Some(Field::Status));
        assert_eq!(flat_field("@ptr"), None);
    }
}
