#!/usr/bin/env python3
"""SNS SMS delivery-status records written independently of smslens's own generator (gen/), for benchmarks
that must not flatter smslens: ten countries, every optional field present, delivery keys in a different
order per record (from several producers' orders), and a chosen number of distinct recipients (by default
most numbers receive one text, as in a sign-up surge or SMS pumping).

    python3 benches/independent_records.py --count 2000000 --pool 2000000 --seed 7 -o /tmp/indep.jsonl

Prints a JSON summary (records, distinct recipients, delivered, failed, spend) on stderr.
"""
import argparse
import json
import random
import sys
import uuid

# (calling code, ISO country, national number length, price USD, carriers as (name, mcc, mnc))
COUNTRIES = [
    ("1", "US", 10, 0.00645, [("AT&T Mobility", 310, 410), ("T-Mobile USA", 310, 260), ("Verizon", 311, 480)]),
    ("91", "IN", 10, 0.00223, [("Airtel", 404, 10), ("Jio", 405, 857), ("Vodafone Idea", 404, 20)]),
    ("55", "BR", 11, 0.03, [("Claro", 724, 5), ("Vivo", 724, 6), ("TIM", 724, 4)]),
    ("62", "ID", 11, 0.04, [("Telkomsel", 510, 10), ("Indosat", 510, 1)]),
    ("234", "NG", 10, 0.06, [("MTN Nigeria", 621, 30), ("Airtel Nigeria", 621, 20)]),
    ("44", "GB", 10, 0.04, [("EE", 234, 30), ("Vodafone UK", 234, 15), ("O2 UK", 234, 10)]),
    ("49", "DE", 11, 0.08, [("Telekom", 262, 1), ("Vodafone DE", 262, 2)]),
    ("52", "MX", 10, 0.03, [("Telcel", 334, 20), ("AT&T Mexico", 334, 50)]),
    ("63", "PH", 10, 0.05, [("Globe", 515, 2), ("Smart", 515, 3)]),
    ("33", "FR", 9, 0.07, [("Orange", 208, 1), ("SFR", 208, 10)]),
]
WEIGHTS = [30, 18, 10, 8, 6, 8, 5, 6, 5, 4]
OUTCOMES = [
    ("SUCCESS", "Message has been accepted by phone carrier", 80),
    ("SUCCESS", "Message has been accepted by phone", 6),
    ("SUCCESS", "Delivered", 4),
    ("FAILURE", "Phone is currently unreachable/unavailable", 3),
    ("FAILURE", "Unknown error attempting to reach phone", 2),
    ("FAILURE", "Phone carrier has blocked this message", 2),
    ("FAILURE", "Invalid phone number", 1),
    ("FAILURE", "Phone number is opted out", 1),
    ("FAILURE", "Phone carrier is currently unreachable/unavailable", 1),
]
# Several producers' key orders for the delivery object.
ORDERS = [
    ["phoneCarrier", "mnc", "numberOfMessageParts", "destination", "priceInUSD", "smsType", "mcc",
     "providerResponse", "dwellTimeMs", "dwellTimeMsUntilDeviceAck"],
    ["destination", "providerResponse", "smsType", "priceInUSD", "numberOfMessageParts", "mcc", "mnc",
     "phoneCarrier", "dwellTimeMsUntilDeviceAck", "dwellTimeMs"],
    ["smsType", "dwellTimeMs", "mcc", "mnc", "destination", "phoneCarrier", "providerResponse",
     "numberOfMessageParts", "dwellTimeMsUntilDeviceAck", "priceInUSD"],
]
START_MS = 1_772_323_200_000  # 2026-03-01T00:00:00Z


def timestamp(ms):
    s, frac = divmod(ms, 1000)
    import time

    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(s)) + ".%03d" % frac


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=2_000_000)
    ap.add_argument("--pool", type=int, default=None, help="numbers to draw recipients from (default: count)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pool = a.pool or a.count
    month_ms = 31 * 86_400_000
    outcome_w = [w for *_, w in OUTCOMES]
    seen = set()
    delivered = failed = 0
    spend = 0.0
    with open(a.output, "w") as out:
        for i in range(a.count):
            r = rng.randrange(pool)
            c = COUNTRIES[rng.choices(range(len(COUNTRIES)), WEIGHTS)[0] if r % 7 else r % len(COUNTRIES)]
            code, _, digits, price, carriers = c
            national = str(10 ** (digits - 1) + (r * 2654435761) % (9 * 10 ** (digits - 1)))
            if code == "1":
                national = str(2 + r % 8) + national[1:]
            dest = "+" + code + national
            seen.add(dest)
            carrier, mcc, mnc = carriers[r % len(carriers)]
            status, response, _ = rng.choices(OUTCOMES, outcome_w)[0]
            parts = 1 if rng.random() < 0.9 else 2
            p = round(price * parts, 5)
            if status == "SUCCESS":
                delivered += 1
            else:
                failed += 1
            spend += p
            ms = START_MS + (i * month_ms) // a.count + rng.randrange(1000)
            fields = {
                "phoneCarrier": json.dumps(carrier),
                "mnc": str(mnc),
                "numberOfMessageParts": str(parts),
                "destination": '"%s"' % dest,
                "priceInUSD": repr(p),
                "smsType": '"Transactional"',
                "mcc": str(mcc),
                "providerResponse": '"%s"' % response,
                "dwellTimeMs": str(80 + rng.randrange(4000)),
                "dwellTimeMsUntilDeviceAck": str(200 + rng.randrange(20000)),
            }
            order = ORDERS[i % len(ORDERS)]
            delivery = ",".join('"%s":%s' % (k, fields[k]) for k in order)
            mid = uuid.UUID(int=rng.getrandbits(128), version=4)
            note = '"notification":{"messageId":"%s","timestamp":"%s"}' % (mid, timestamp(ms))
            if i % 2:
                out.write('{"status":"%s",%s,"delivery":{%s}}\n' % (status, note, delivery))
            else:
                out.write('{%s,"delivery":{%s},"status":"%s"}\n' % (note, delivery, status))
    json.dump({"records": a.count, "distinct_recipients": len(seen), "delivered": delivered,
               "failed": failed, "spend_usd": round(spend, 5)}, sys.stderr)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
