-- The `messages` table of a dataset `smslens export` wrote, for Spark SQL (3.4 or later: event_time is a TIMESTAMP_NTZ), e.g. on EMR or Glue.
-- Generated from the schema (src/frame/dataset/mod.rs): `SMSLENS_REGENERATE=1 cargo test sql_ddl` rewrites it.
-- Replace the location; run MSCK REPAIR TABLE again after each export that adds days.
CREATE TABLE IF NOT EXISTS messages (
  `event_time` TIMESTAMP_NTZ COMMENT 'event time, UTC, milliseconds',
  `message_id` STRING COMMENT 'notification.messageId',
  `status` STRING COMMENT 'SUCCESS or FAILURE',
  `provider_response` STRING COMMENT 'delivery.providerResponse',
  `class` STRING COMMENT 'smslens outcome class (delivered, spend_limit, carrier_blocked, ...)',
  `sms_type` STRING COMMENT 'Transactional or Promotional',
  `country` STRING COMMENT 'ISO 3166 alpha-2 of the destination',
  `mcc` STRING COMMENT 'mobile country code, as written (leading zeros kept)',
  `mnc` STRING COMMENT 'mobile network code, as written (leading zeros kept)',
  `carrier` STRING COMMENT 'delivery.phoneCarrier',
  `price_usd` DOUBLE COMMENT 'delivery.priceInUSD',
  `parts` INT COMMENT 'delivery.numberOfMessageParts',
  `dwell_ms` BIGINT COMMENT 'delivery.dwellTimeMs',
  `dwell_ack_ms` BIGINT COMMENT 'delivery.dwellTimeMsUntilDeviceAck',
  `source_kind` STRING COMMENT 'sns-delivery-log, end-user-messaging, pinpoint or sns-usage-report',
  `region` STRING COMMENT 'AWS region, where the source shows it',
  `account` STRING COMMENT 'AWS account id, where the source shows it',
  `origination_identity` STRING COMMENT 'origination number, sender id or pool, where the source shows it',
  `recipient` BIGINT COMMENT 'keyed pseudonym of the destination (63-bit HMAC-SHA-256)',
  `recipient_masked` STRING COMMENT 'the destination, masked; only with --show-numbers',
  `date` DATE COMMENT 'UTC day of event_time (the folder)'
)
USING PARQUET
PARTITIONED BY (`date`)
LOCATION 's3a://YOUR-BUCKET/sms-dataset/messages/';

MSCK REPAIR TABLE messages;
