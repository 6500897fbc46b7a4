#!/usr/bin/env python3
"""Reads buffer partner statements (buffer/partner/v1) and partner codes with PyNaCl, following
crypto/FORMAT.md alone ("Partner statement (`buffer/partner/v1`) and partner code", "Conventions").
Canonical JSON and strict base64url are those of open_keys.py (FORMAT.md "Canonical JSON", checked
against canonical.json there).

Usage: open_partners.py partner-v1.json. Prints one JSON result per `cases` entry, in order, for
steps 1-3 of "Verifying": {"ok": true, "statement": ..., "partnerBytes": ...} (the statement with
its nationalities sorted, partnerBytes base64url) or {"ok": false, "error": CODE}; then one per
`codes` entry: {"orgId", "version", "hash"} or null.
"""
import json
import re
import sys

import nacl.exceptions
import nacl.signing

from open_keys import Refused, b64, canonical, to_b64

PURPOSE = "buffer/partner/v1"
MEMBERS = {"purpose", "csoOrgId", "requesterOrgId", "kind", "nationalities", "requesterHead", "verifiedAt"}
ORG_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
COUNTRY = re.compile(r"[A-Z]{2}")
HEX64 = re.compile(r"[0-9a-f]{64}")
TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?Z")
CODE = re.compile(r"([A-Za-z0-9_-]{8,64})~([1-9][0-9]{0,8})\.([0-9a-fA-F]{64})")
# ECMAScript \s (FORMAT.md, "partner code"): not Python's str.strip set.
WHITE_SPACE = "\u0009\u000a\u000b\u000c\u000d\u0020\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


def readable_time(text):
    """Conventions: the form, naming a real date and time (no roll-over of 02-30, 24:00:00 or :60)."""
    match = TIME.fullmatch(text) if isinstance(text, str) else None
    if not match:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= month <= 12 and 1 <= day <= days[month - 1] and hour <= 23 and minute <= 59 and second <= 59


def whole_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or value == value and value not in (float("inf"), float("-inf")) and value.is_integer()


def statement_form(statement):
    """Step 1, the statement: every member with its form, nothing else. Returns it with nationalities sorted."""
    if not isinstance(statement, dict) or set(statement) != MEMBERS:
        raise Refused("bad_format")
    if statement["purpose"] != PURPOSE:
        raise Refused("bad_format")
    cso, requester = statement["csoOrgId"], statement["requesterOrgId"]
    if not (isinstance(cso, str) and ORG_ID.fullmatch(cso) and isinstance(requester, str) and ORG_ID.fullmatch(requester)) or requester == cso:
        raise Refused("bad_format")
    kind = statement["kind"]
    if kind not in ("consulate", "city"):
        raise Refused("bad_format")
    nationalities = statement["nationalities"]
    if not isinstance(nationalities, list) or len(nationalities) > 50:
        raise Refused("bad_format")
    if not all(isinstance(code, str) and COUNTRY.fullmatch(code) for code in nationalities) or len(set(nationalities)) != len(nationalities):
        raise Refused("bad_format")
    if kind == "consulate" and not nationalities:
        raise Refused("bad_format")
    head = statement["requesterHead"]
    if not isinstance(head, dict) or set(head) != {"version", "hash"}:
        raise Refused("bad_format")
    if not whole_number(head["version"]) or head["version"] < 1 or not (isinstance(head["hash"], str) and HEX64.fullmatch(head["hash"])):
        raise Refused("bad_format")
    if not readable_time(statement["verifiedAt"]):
        raise Refused("bad_format")
    return {
        "purpose": PURPOSE,
        "csoOrgId": cso,
        "requesterOrgId": requester,
        "kind": kind,
        "nationalities": sorted(nationalities),  # capitals A-Z: code-unit order is plain order
        "requesterHead": {"version": head["version"], "hash": head["hash"]},
        "verifiedAt": statement["verifiedAt"],
    }


def verify_partner(signed, officers, cso_org_id, requester_org_id):
    # 1. shape
    if not isinstance(signed, dict):
        raise Refused("bad_format")
    statement = statement_form(signed.get("statement"))
    # 2. for this CSO (and this requester, when given)
    if statement["csoOrgId"] != cso_org_id or requester_org_id is not None and statement["requesterOrgId"] != requester_org_id:
        raise Refused("bad_format")
    # 3. an officer of the CSO's verified head signed partnerBytes
    signer_id = signed.get("signerId")
    key = officers.get(signer_id) if isinstance(signer_id, str) else None
    if key is None:
        raise Refused("bad_signature")
    signature = b64(signed.get("signature"))  # bad_format when not base64url
    message = canonical(statement)
    if len(signature) != 64:
        raise Refused("bad_signature")
    try:
        nacl.signing.VerifyKey(b64(key)).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError):
        raise Refused("bad_signature")
    return {"ok": True, "statement": statement, "partnerBytes": to_b64(message)}


def parse_code(text):
    match = CODE.fullmatch(text.strip(WHITE_SPACE)) if isinstance(text, str) else None
    if not match:
        return None
    return {"orgId": match.group(1), "version": int(match.group(2)), "hash": match.group(3).lower()}


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        vector = json.load(handle)
    for case in vector["cases"]:
        try:
            result = verify_partner(case["signed"], case["officers"], case["csoOrgId"], case["requesterOrgId"])
        except Refused as refused:
            result = {"ok": False, "error": refused.code}
        print(json.dumps(result, ensure_ascii=False))
    for entry in vector["codes"]:
        print(json.dumps(parse_code(entry["text"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
