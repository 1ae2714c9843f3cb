-- The `messages` table of a dataset `smslens export` wrote, for Trino (Hive connector; the catalog `hive`, schema `sms`).
-- Generated from the schema (src/frame/dataset/mod.rs): `SMSLENS_REGENERATE=1 cargo test sql_ddl` rewrites it.
-- Replace the location; call sync_partition_metadata again after each export that adds days.
CREATE TABLE IF NOT EXISTS hive.sms.messages (
  "event_time" TIMESTAMP(3) COMMENT 'event time, UTC, milliseconds',
  "message_id" VARCHAR COMMENT 'notification.messageId',
  "status" VARCHAR COMMENT 'SUCCESS or FAILURE',
  "provider_response" VARCHAR COMMENT 'delivery.providerResponse',
  "class" VARCHAR COMMENT 'smslens outcome class (delivered, spend_limit, carrier_blocked, ...)',
  "sms_type" VARCHAR COMMENT 'Transactional or Promotional',
  "country" VARCHAR COMMENT 'ISO 3166 alpha-2 of the destination',
  "mcc" VARCHAR COMMENT 'mobile country code, as written (leading zeros kept)',
  "mnc" VARCHAR COMMENT 'mobile network code, as written (leading zeros kept)',
  "carrier" VARCHAR COMMENT 'delivery.phoneCarrier',
  "price_usd" DOUBLE COMMENT 'delivery.priceInUSD',
  "parts" INTEGER COMMENT 'delivery.numberOfMessageParts',
  "dwell_ms" BIGINT COMMENT 'delivery.dwellTimeMs',
  "dwell_ack_ms" BIGINT COMMENT 'delivery.dwellTimeMsUntilDeviceAck',
  "source_kind" VARCHAR COMMENT 'sns-delivery-log, end-user-messaging, pinpoint or sns-usage-report',
  "region" VARCHAR COMMENT 'AWS region, where the source shows it',
  "account" VARCHAR COMMENT 'AWS account id, where the source shows it',
  "origination_identity" VARCHAR COMMENT 'origination number, sender id or pool, where the source shows it',
  "recipient" BIGINT COMMENT 'keyed pseudonym of the destination (63-bit HMAC-SHA-256)',
  "recipient_masked" VARCHAR COMMENT 'the destination, masked; only with --show-numbers',
  "date" VARCHAR COMMENT 'UTC day of event_time (the folder)'
)
WITH (
  external_location = 's3://YOUR-BUCKET/sms-dataset/messages/',
  format = 'PARQUET',
  partitioned_by = ARRAY['date']
);

CALL hive.system.sync_partition_metadata('sms', 'messages', 'ADD');
