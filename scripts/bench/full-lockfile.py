#!/usr/bin/env python3
"""The lockfile an apply of every launch in a plan would have written (benchmarks, output
comparisons): every entry `started`, with its contact, participant, token digest, times and
its per-member records (the plain members' values as sent, the others keyed digests under
a fixed member salt). Usage: full-lockfile.py PLAN.json LOCKFILE (PLAN.json from
`chatctl plan --format json`)."""
import datetime, hashlib, hmac, json, sys, uuid
plan = json.load(open(sys.argv[1]))
salt = "0123456789abcdef0123456789abcdef"
plain = {"ContactFlowId", "InstanceId", "ChatDurationInMinutes", "SupportedMessagingContentTypes",
         "ParticipantConfiguration", "DisconnectOnCustomerExit", "Region"}
expanded = {"Attributes", "SegmentAttributes", "ParticipantDetails", "InitialMessage", "PersistentChat"}
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
def members(action):
    # As RequestMembers.record does; the sensitive values are masked in the plan, so their
    # digests are of the masked text (their size is what counts here, and an unchanged
    # entry's members are never compared).
    body = dict(action["request"]); body.pop("ClientToken", None)
    values = {}
    for name, value in body.items():
        if name in expanded and isinstance(value, dict):
            values.update({f"{name}.{key}": inner for key, inner in value.items()})
        else:
            values[name] = value
    if action.get("region"): values["Region"] = action["region"]
    record = {}
    for member, value in values.items():
        if member in plain:
            record[member] = {"value": value}
        else:
            text = f"chatctl-member-1\n{member}\n" + json.dumps(value, sort_keys=True, separators=(",", ":"))
            record[member] = {"digest": hmac.new(salt.encode(), text.encode(), hashlib.sha256).hexdigest()}
    return record
entries = {}
for action in plan["actions"]:
    entries[action["profile"]] = {
        "attempts": 1, "clientToken": action["clientToken"], "contactId": str(uuid.uuid4()),
        "digest": action["digest"], "expiresAt": stamp(now + datetime.timedelta(hours=20)), "generation": 1,
        "instance": "12345678-1234-1234-1234-123456789012", "members": members(action),
        "participantId": str(uuid.uuid4()), "participantTokenSha256": hashlib.sha256(action["profile"].encode()).hexdigest(),
        "region": action.get("region", "us-west-2"), "startedAt": stamp(now - datetime.timedelta(hours=1)), "status": "started",
    }
document = {"endpoint": {"kind": "aws"}, "entries": entries, "lockfileVersion": 3, "memberSalt": salt, "serial": 1}
json.dump(document, open(sys.argv[2], "w"), indent=2, sort_keys=True)
open(sys.argv[2], "a").write("\n")
