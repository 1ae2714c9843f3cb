-- The `messages` table of a dataset `smslens export` wrote, for Amazon Athena (AWS Glue Data Catalog).
-- Generated from the schema (src/frame/dataset/mod.rs): `SMSLENS_REGENERATE=1 cargo test sql_ddl` rewrites it.
-- Copy the dataset to S3 (aws s3 sync DIR s3://YOUR-BUCKET/sms-dataset/) and replace the two
-- locations below. Partition projection on `date`: no crawler and no MSCK REPAIR TABLE needed; a
-- query that filters on "date" reads only those days.
CREATE EXTERNAL TABLE IF NOT EXISTS messages (
  `event_time` TIMESTAMP COMMENT 'event time, UTC, milliseconds',
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
  `recipient_masked` STRING COMMENT 'the destination, masked; only with --show-numbers'
)
PARTITIONED BY (`date` STRING)
STORED AS PARQUET
LOCATION 's3://YOUR-BUCKET/sms-dataset/messages/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2000-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/sms-dataset/messages/date=${date}/'
);
