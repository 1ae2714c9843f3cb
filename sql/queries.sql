-- The queries behind `smslens summary`'s tables, in SQL that Athena, Trino, Spark SQL and DuckDB all run,
-- over the table `messages` (create it with the DDL for your engine in this folder). Each query is named
-- by the `-- name:` line above it; tests/cli/dataset_sql.rs runs every one through DuckDB on exported
-- datasets and checks each figure against `smslens summary --format json` on the raw inputs.
--
-- Missing values are NULL in the dataset; smslens shows them as 'unknown' (carrier, country, smsType)
-- and '(no providerResponse)', so the queries do too. Times are UTC (event_time holds UTC wall-clock
-- time). failure_rate assumes every success was logged: with DeliveryStatusSuccessSamplingRate below 100,
-- weigh successes by 100 / rate (smslens does; its summary says so).

-- name: totals
SELECT
  COUNT(*) AS events,
  SUM(CASE WHEN status = 'SUCCESS' THEN 1 ELSE 0 END) AS delivered,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed,
  COALESCE(ROUND(SUM(price_usd), 5), 0) AS spend_usd,
  MIN(event_time) AS first_event,
  MAX(event_time) AS last_event,
  SUM(CASE WHEN class = 'spend_limit' THEN 1 ELSE 0 END) AS quota_failures,
  COUNT(DISTINCT CASE WHEN class = 'spend_limit' THEN recipient END) AS quota_recipients,
  COUNT(DISTINCT recipient) AS recipients
FROM messages;

-- name: by_provider_response
SELECT
  COALESCE(provider_response, '(no providerResponse)') AS provider_response,
  status,
  class,
  COUNT(*) AS count,
  MIN(event_time) AS first_seen,
  MAX(event_time) AS last_seen
FROM messages
GROUP BY COALESCE(provider_response, '(no providerResponse)'), status, class
ORDER BY count DESC, provider_response, status;

-- name: by_country
SELECT
  COALESCE(country, 'unknown') AS country,
  COUNT(*) AS events,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed,
  CAST(SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS failure_rate
FROM messages
GROUP BY COALESCE(country, 'unknown')
ORDER BY events DESC, failed DESC, country;

-- name: by_carrier
SELECT
  COALESCE(carrier, 'unknown') AS carrier,
  COUNT(*) AS events,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed,
  CAST(SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS failure_rate
FROM messages
GROUP BY COALESCE(carrier, 'unknown')
ORDER BY events DESC, failed DESC, carrier;

-- name: by_sms_type
SELECT
  COALESCE(sms_type, 'unknown') AS sms_type,
  COUNT(*) AS events,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed,
  CAST(SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS failure_rate
FROM messages
GROUP BY COALESCE(sms_type, 'unknown')
ORDER BY events DESC, failed DESC, sms_type;

-- name: by_hour
SELECT
  date_trunc('hour', event_time) AS hour_start,
  COUNT(*) AS events,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed
FROM messages
GROUP BY date_trunc('hour', event_time)
ORDER BY hour_start;

-- name: spend_by_day
SELECT
  date_trunc('day', event_time) AS day,
  COALESCE(ROUND(SUM(price_usd), 5), 0) AS spend_usd,
  COUNT(*) AS texts,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed
FROM messages
GROUP BY date_trunc('day', event_time)
ORDER BY day;

-- name: spend_by_month
SELECT
  date_trunc('month', event_time) AS month,
  COALESCE(ROUND(SUM(price_usd), 5), 0) AS spend_usd,
  COUNT(*) AS texts,
  SUM(CASE WHEN class = 'spend_limit' THEN 1 ELSE 0 END) AS quota_failures
FROM messages
GROUP BY date_trunc('month', event_time)
ORDER BY month;

-- name: recipients_without_delivery
SELECT COUNT(*) AS recipients
FROM (
  SELECT recipient
  FROM messages
  WHERE recipient IS NOT NULL
  GROUP BY recipient
  HAVING SUM(CASE WHEN status = 'SUCCESS' THEN 1 ELSE 0 END) = 0
) AS locked_out;

-- name: by_source
SELECT
  source_kind AS source,
  COUNT(*) AS events,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed,
  CAST(SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS failure_rate
FROM messages
GROUP BY source_kind
ORDER BY events DESC, source;

-- name: by_region
SELECT
  COALESCE(region, 'unknown') AS region,
  COALESCE(account, 'unknown') AS account,
  COUNT(*) AS events,
  SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS failed,
  CAST(SUM(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS failure_rate
FROM messages
GROUP BY COALESCE(region, 'unknown'), COALESCE(account, 'unknown')
ORDER BY events DESC, region, account;

-- name: message_parts
SELECT COALESCE(SUM(parts), 0) AS message_parts
FROM messages;
