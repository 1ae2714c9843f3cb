//! The keys of a delivery record, in each dialect smslens reads, and the field each holds: the one table
//! that the fast path, the full parser and the flattened (Logs Insights) reader all read.
//!
//! Dialects (formats.md): the SNS delivery-status record (§1: `notification`, `delivery`, `status`), the End
//! User Messaging SMS event (§7.1: flat camelCase keys, `protectConfiguration`), the legacy Pinpoint SMS event
//! (§7.2: snake_case, `attributes`, `metrics`). Their keys never collide within one object.

/// A modelled field of the record. `Ignored` keys are known and carry nothing smslens uses: they are not
/// reported as unmodelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    MessageId,
    /// When the text was sent (SNS `notification.timestamp`, End User Messaging `messageRequestTimestamp`).
    Timestamp,
    /// When the event happened (End User Messaging `eventTimestamp`, Pinpoint `event_timestamp`).
    EventTime,
    /// SNS `status`: SUCCESS or FAILURE.
    Status,
    /// End User Messaging `messageStatus`, Pinpoint `record_status` (`DELIVERED`, `TTL_EXPIRED`, ...).
    StatusWord,
    /// End User Messaging `eventType` (`TEXT_DELIVERED`, ...).
    EventType,
    /// Pinpoint `event_type` (`_SMS.SUCCESS`, ...).
    PinpointEvent,
    IsFinal,
    ProviderResponse,
    Destination,
    Origination,
    Carrier,
    SmsType,
    Mcc,
    Mnc,
    IsoCountry,
    Price,
    PriceMillicents,
    CarrierFee,
    Parts,
    Dwell,
    DwellAck,
    ProtectStatus,
    Account,
    Ignored,
}

impl Field {
    /// A key only a delivery record has: a JSON object with one of these is a record.
    pub fn marks_record(self) -> bool {
        matches!(
            self,
            Field::Status | Field::StatusWord | Field::EventType | Field::PinpointEvent
        )
    }
}

/// Where a key sits: at the top of the record, or in one of its objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Top,
    /// SNS `notification`.
    Notification,
    /// SNS `delivery`.
    Delivery,
    /// End User Messaging `protectConfiguration`.
    Protect,
    /// Pinpoint `attributes`.
    Attributes,
    /// Pinpoint `metrics`.
    Metrics,
}

impl Object {
    /// The object a top-level key opens.
    #[inline(always)]
    pub fn named(key: &str) -> Option<Object> {
        match key {
            "notification" => Some(Object::Notification),
            "delivery" => Some(Object::Delivery),
            "protectConfiguration" => Some(Object::Protect),
            "attributes" => Some(Object::Attributes),
            "metrics" => Some(Object::Metrics),
            _ => None,
        }
    }

    /// Opening this object makes the JSON a record (SNS's two objects, Pinpoint's attributes).
    pub fn marks_record(self) -> bool {
        matches!(
            self,
            Object::Notification | Object::Delivery | Object::Attributes
        )
    }

    /// How an unmodelled key of this object is reported (`delivery.foo`).
    pub fn qualified(self, key: &str) -> String {
        let prefix = match self {
            Object::Top => return key.to_owned(),
            Object::Notification => "notification",
            Object::Delivery => "delivery",
            Object::Protect => "protectConfiguration",
            Object::Attributes => "attributes",
            Object::Metrics => "metrics",
        };
        format!("{prefix}.{key}")
    }
}

macro_rules! fields {
    ($($object:ident . $key:literal => $field:ident),* $(,)?) => {
        /// Every (object, key, field).
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
    // SNS delivery-status record (formats.md §1), in the order SNS writes it.
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
    // End User Messaging SMS event (§7.1).
    Top."eventType" => EventType,
    Top."eventVersion" => Ignored,
    Top."eventTimestamp" => EventTime,
    Top."isFinal" => IsFinal,
    Top."originationPhoneNumber" => Origination,
    Top."destinationPhoneNumber" => Destination,
    Top."isInternationalSend" => Ignored,
    Top."isoCountryCode" => IsoCountry,
    Top."mcc" => Mcc,
    Top."mnc" => Mnc,
    Top."carrierName" => Carrier,
    Top."messageId" => MessageId,
    Top."messageRequestTimestamp" => Timestamp,
    Top."messageEncoding" => Ignored,
    Top."messageType" => SmsType,
    Top."messageStatus" => StatusWord,
    Top."messageStatusDescription" => ProviderResponse,
    Top."context" => Ignored,
    Top."totalMessageParts" => Parts,
    Top."totalMessagePrice" => Price,
    Top."totalCarrierFee" => CarrierFee,
    Protect."protectConfigurationId" => Ignored,
    Protect."protectStatus" => ProtectStatus,
    // Legacy Pinpoint SMS event stream (§7.2).
    Top."event_type" => PinpointEvent,
    Top."event_timestamp" => EventTime,
    Top."arrival_timestamp" => Ignored,
    Top."event_version" => Ignored,
    Top."application" => Ignored,
    Top."client" => Ignored,
    Top."device" => Ignored,
    Top."session" => Ignored,
    Top."awsAccountId" => Account,
    Attributes."sender_request_id" => Ignored,
    Attributes."origination_phone_number" => Origination,
    Attributes."destination_phone_number" => Destination,
    Attributes."record_status" => StatusWord,
    Attributes."iso_country_code" => IsoCountry,
    Attributes."treatment_id" => Ignored,
    Attributes."number_of_message_parts" => Parts,
    Attributes."message_id" => MessageId,
    Attributes."message_type" => SmsType,
    Attributes."campaign_id" => Ignored,
    Attributes."customer_context" => Ignored,
    Metrics."price_in_millicents_usd" => PriceMillicents,
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
        Field::Timestamp
            if short.eq_ignore_ascii_case("timestamp") && !name.starts_with("notification") =>
        {
            None
        }
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
    fn each_object_holds_a_key_once() {
        for (i, a) in FIELDS.iter().enumerate() {
            for b in &FIELDS[i + 1..] {
                assert!(!(a.0 == b.0 && a.1 == b.1), "{} twice", a.1);
            }
        }
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
        assert_eq!(flat_field("eventType"), Some(Field::EventType));
    }
}
