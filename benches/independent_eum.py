#!/usr/bin/env python3
"""End User Messaging SMS events (formats.md section 7.1 field names) written independently of smslens's own
generator (gen/), for benchmarks that must not flatter smslens: ten countries, every field present (a
protect configuration and a context object too), keys in a different order per producer, and a chosen
number of distinct recipients (by default most numbers receive one text). About 1.6 events per text: a
non-final TEXT_PENDING or TEXT_SUCCESSFUL before most final events, and some texts with only TEXT_PENDING.

    python3 benches/independent_eum.py --texts 1260000 --pool 1260000 --seed 5 -o /tmp/eum-indep.jsonl

Prints a JSON summary (events, texts, distinct recipients) on stderr.
"""
import argparse
import json
import random
import sys
import uuid

# (calling code, ISO country, national number length, price USD, fee USD, carriers as (name, mcc, mnc))
COUNTRIES = [
    ("1", "US", 10, 0.00581, 0.00302, [("Verizon Wireless", "311", "480"), ("AT&T Mobility", "310", "410")]),
    ("91", "IN", 10, 0.00167, 0.0, [("Bharti Airtel", "404", "10"), ("Reliance Jio", "405", "857")]),
    ("55", "BR", 11, 0.0285, 0.0, [("Claro", "724", "05"), ("Vivo", "724", "06"), ("TIM", "724", "04")]),
    ("62", "ID", 11, 0.3575, 0.0, [("Telkomsel", "510", "10"), ("Indosat", "510", "01")]),
    ("234", "NG", 10, 0.5024, 0.0, [("MTN Nigeria", "621", "30")]),
    ("44", "GB", 10, 0.0374, 0.0, [("EE", "234", "30"), ("Vodafone UK", "234", "15")]),
    ("49", "DE", 11, 0.0948, 0.0, [("Telekom Deutschland", "262", "01"), ("Vodafone GmbH", "262", "02")]),
    ("52", "MX", 10, 0.0258, 0.0, [("Telcel", "334", "020"), ("AT&T Mexico", "334", "050")]),
    ("63", "PH", 10, 0.1969, 0.0, [("Globe Telecom", "515", "02"), ("Smart", "515", "03")]),
    ("33", "FR", 9, 0.0798, 0.0, [("Orange", "208", "01"), ("SFR", "208", "10")]),
]
WEIGHTS = [34, 16, 10, 7, 5, 9, 5, 6, 4, 4]
# final outcome: (eventType, messageStatus, description, weight)
FINALS = [
    ("TEXT_DELIVERED", "DELIVERED", "Message has been accepted by phone", 80),
    ("TEXT_SUCCESSFUL", "SUCCESSFUL", "Message has been accepted by phone carrier", 12),
    ("TEXT_CARRIER_UNREACHABLE", "CARRIER_UNREACHABLE", "Phone carrier is currently unreachable/unavailable", 3),
    ("TEXT_INVALID", "INVALID", "Invalid phone number", 2),
    ("TEXT_BLOCKED", "BLOCKED", "Phone number is opted out", 1),
    ("TEXT_TTL_EXPIRED", "TTL_EXPIRED", "The delivery TTL has expired", 1),
    ("TEXT_UNKNOWN", "UNKNOWN", "Unknown error attempting to reach phone", 1),
]
KEYS = ["eventType", "eventVersion", "eventTimestamp", "isFinal", "originationPhoneNumber",
        "destinationPhoneNumber", "isInternationalSend", "isoCountryCode", "mcc", "mnc", "carrierName",
        "messageId", "messageRequestTimestamp", "messageEncoding", "messageType", "messageStatus",
        "messageStatusDescription", "context", "totalMessageParts", "totalMessagePrice", "totalCarrierFee",
        "protectConfiguration"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", type=int, default=1260000)
    ap.add_argument("--pool", type=int, default=None, help="distinct numbers to draw from (default: texts)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pool = a.pool or a.texts
    orders = [KEYS[:]] + [rng.sample(KEYS, len(KEYS)) for _ in range(3)]
    start = 1772323200000  # 2026-03-01
    span = 31 * 86400 * 1000
    numbers = {}
    events = 0
    with open(a.output, "w") as out:
        times = sorted(rng.randrange(span) for _ in range(a.texts))
        for t in times:
            n = rng.randrange(pool)
            if n not in numbers:
                ci = rng.choices(range(len(COUNTRIES)), WEIGHTS)[0]
                code, iso, length, _, _, _ = COUNTRIES[ci]
                national = str(rng.randrange(10 ** (length - 1), 10 ** length))
                numbers[n] = (ci, "+" + code + national)
            ci, dest = numbers[n]
            code, iso, length, price, fee, carriers = COUNTRIES[ci]
            carrier, mcc, mnc = carriers[n % len(carriers)]
            sent = start + t
            mid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            parts = 1 if rng.random() < 0.95 else 2
            final = rng.choices(FINALS, [f[3] for f in FINALS])[0]
            base = {
                "eventVersion": "1.0",
                "originationPhoneNumber": "+18005550199" if iso in ("US",) else "+12065550142",
                "destinationPhoneNumber": dest,
                "isInternationalSend": iso != "US",
                "isoCountryCode": iso,
                "mcc": mcc,
                "mnc": mnc,
                "carrierName": carrier,
                "messageId": mid,
                "messageRequestTimestamp": sent,
                "messageEncoding": "GSM",
                "messageType": "TRANSACTIONAL",
                "context": {"userPoolId": "us-east-1_Ab12Cd34E", "app": "signin"},
                "totalMessageParts": parts,
                "totalMessagePrice": round(price * parts, 5),
                "totalCarrierFee": round(fee * parts, 5),
                "protectConfiguration": {"protectConfigurationId": "protect-0a1b2c3d4e5f", "protectStatus": "ALLOW"},
            }
            seq = []
            r = rng.random()
            if r < 0.003:
                seq.append(("TEXT_PENDING", "PENDING", "Message is pending delivery", False))
            else:
                if r < 0.45:
                    seq.append(("TEXT_PENDING", "PENDING", "Message is pending delivery", False))
                elif r < 0.6 and final[0] == "TEXT_DELIVERED":
                    seq.append(("TEXT_SUCCESSFUL", "SUCCESSFUL", "Message has been accepted by phone carrier", False))
                seq.append((final[0], final[1], final[2], True))
            at = sent
            order = orders[n % len(orders)]
            for etype, status, desc, is_final in seq:
                at += rng.randrange(200, 5000)
                ev = dict(base, eventType=etype, eventTimestamp=at, isFinal=is_final,
                          messageStatus=status, messageStatusDescription=desc)
                out.write(json.dumps({k: ev[k] for k in order}, separators=(",", ":")) + "\n")
                events += 1
    json.dump({"events": events, "texts": a.texts, "distinct_recipients": len(numbers)}, sys.stderr)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
