#!/usr/bin/env python3
"""Reads buffer's key formats with PyNaCl, following crypto/FORMAT.md alone: canonical JSON and
padding buckets, locked member keys, the organisation statement / officer roster (chain, co-signatures,
quorum, field devices and retentionDays, pin, whose decisions count) and recovery shares.

Usage: open_keys.py VECTOR.json, where VECTOR.json is one of crypto/test-vectors/canonical.json,
locked-keys-v1.json, roster-v1.json, org-statement-v2.json or recovery-v1.json. Prints one JSON
result per case, in order: {"ok": true, ...} or {"ok": false, "error": CODE[, "version": N]}. For
canonical.json: one line per `cases` entry ({"ok": true, "canonical": TEXT}), then per `rejected`
entry, then per `padding` entry ({"ok": true, "bucket": N}). For org-statement-v2.json: one line per
`cases` entry (the head's version, hash and orgPublicKey, or the refusal), then one per `decisions`
entry: {"ok": true, "approvers": [...]}, {"ok": false, "reason": "vetoed", "vetoedBy": [...]} or
{"ok": false, "reason": "not_enough_approvals", "approvers": [...]}.
"""
import base64
import hashlib
import json
import re
import sys
import unicodedata
from decimal import Decimal

import nacl.bindings as sodium
import nacl.exceptions
import nacl.signing


class Refused(Exception):
    def __init__(self, code, version=None):
        super().__init__(code)
        self.code = code
        self.version = version


B64_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def b64(text):
    """base64url without padding, strict (Conventions)."""
    if not isinstance(text, str) or len(text) % 4 == 1 or any(ch not in B64_ALPHABET for ch in text):
        raise Refused("bad_format")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if to_b64(raw) != text:
        raise Refused("bad_format")
    return raw


def to_b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()


def parse_json(text):
    def no_constant(name):
        raise ValueError(name)
    return json.loads(text, parse_constant=no_constant)


# Canonical JSON (FORMAT.md, "Canonical JSON") ----------------------------------------------------

def has_lone_surrogate(text):
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)  # json.loads keeps valid pairs as one character


def nfc(text):
    if has_lone_surrogate(text):
        raise Refused("bad_format")
    return unicodedata.normalize("NFC", text)


def number(value):
    """ECMAScript Number::toString (RFC 8785 3.2.2.3), -0 as 0."""
    x = float(value)
    if x != x or x in (float("inf"), float("-inf")):
        raise Refused("bad_format")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    digits_tuple = Decimal(repr(abs(x))).as_tuple()
    n = len(digits_tuple.digits) + digits_tuple.exponent
    s = "".join(map(str, digits_tuple.digits)).rstrip("0")
    k = len(s)
    if k <= n <= 21:
        text = s + "0" * (n - k)
    elif 0 < n <= 21:
        text = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + s
    else:
        exponent = n - 1
        text = (s if k == 1 else s[0] + "." + s[1:]) + "e" + ("+" if exponent >= 0 else "-") + str(abs(exponent))
    return sign + text


ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def string(text):
    out = []
    for ch in nfc(text):
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def canonical_text(value, depth=0):
    if depth > 64:
        raise Refused("bad_format")
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical_text(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        members = {}
        for key, item in value.items():
            normalised = nfc(key)
            if normalised in members:
                raise Refused("bad_format")
            members[normalised] = item
        keys = sorted(members, key=lambda key: key.encode("utf-16-be"))
        return "{" + ",".join(string(key) + ":" + canonical_text(members[key], depth + 1) for key in keys) + "}"
    raise Refused("bad_format")


def canonical(value):
    return canonical_text(value).encode("utf-8")


def bucket(n):
    m = n + 1
    if m <= 256:
        return 256
    e = m.bit_length() - 1
    s = e.bit_length()
    step = 1 << (e - s)
    return -(-m // step) * step


def check_canonical(vector):
    results = []
    for case in vector["cases"]:
        try:
            results.append({"ok": True, "canonical": canonical(parse_json(case["input"])).decode("utf-8")})
        except Refused as refused:
            results.append({"ok": False, "error": refused.code})
    for text in vector["rejected"]:
        try:
            canonical(parse_json(text))
            results.append({"ok": True})
        except Refused as refused:
            results.append({"ok": False, "error": refused.code})
    for entry in vector["padding"]:
        results.append({"ok": True, "bucket": bucket(entry["length"])})
    return results


# Locked member keys ---------------------------------------------------------------------------------

def unlock(locked, passphrase):
    # 1. format
    if not isinstance(locked, dict) or not isinstance(locked.get("format"), str) or not locked["format"].startswith("buffer/locked-member-keys/"):
        raise Refused("bad_format")
    if locked["format"] != "buffer/locked-member-keys/v1":
        raise Refused("unsupported_version")
    # 2. kdf
    kdf = locked.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("algorithm") != "argon2id13" or not is_int(kdf.get("opsLimit")) or not is_int(kdf.get("memLimit")):
        raise Refused("bad_format")
    ops, mem = int(kdf["opsLimit"]), int(kdf["memLimit"])
    # 3. bounds, before deriving
    if not 1 <= ops <= 20 or not 8192 <= mem <= 2**30:
        raise Refused("bad_format")
    # 4. fields
    salt, nonce, ciphertext, sign_pk, box_pk = (b64(kdf.get("salt")), b64(locked.get("nonce")), b64(locked.get("ciphertext")), b64(locked.get("signPublicKey")), b64(locked.get("boxPublicKey")))
    if [len(salt), len(nonce), len(ciphertext), len(sign_pk), len(box_pk)] != [16, 24, 112, 32, 32]:
        raise Refused("bad_format")
    # 5. derive and decrypt
    key = sodium.crypto_pwhash_alg(32, unicodedata.normalize("NFC", passphrase).encode("utf-8"), salt, ops, mem, sodium.crypto_pwhash_ALG_ARGON2ID13)
    ad = canonical({name: locked[name] for name in ("format", "kdf", "signPublicKey", "boxPublicKey", "nonce")})
    try:
        secrets = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(ciphertext, ad, nonce, key)
    except nacl.exceptions.CryptoError:
        raise Refused("bad_passphrase")
    # 6. secret keys match the public keys: the Ed25519 key pair re-derived from the seed (first 32 bytes)
    derived_pk, derived_sk = sodium.crypto_sign_seed_keypair(secrets[:32])
    if derived_pk != sign_pk or derived_sk != secrets[:64] or sodium.crypto_scalarmult_base(secrets[64:]) != box_pk:
        raise Refused("tampered")
    return {"ok": True, "signPublicKey": to_b64(sign_pk), "boxPublicKey": to_b64(box_pk)}


# Organisation statement (buffer/org-statement/v2) and officer roster (buffer/officer-roster/v1) ------

ROSTER_PURPOSE = "buffer/officer-roster/v1"
STATEMENT_PURPOSE = "buffer/org-statement/v2"
DECISION_PURPOSE = "buffer/activation-decision/v1"
HEX64 = re.compile(r"[0-9a-f]{64}")


def safe_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 2**53 - 1


def utf16(text):
    return text.encode("utf-16-be", "surrogatepass")


def key_ok(value):
    try:
        return len(b64(value)) == 32
    except Refused:
        return False


def normalise_statement(statement):
    """The statement's checked members, officers (and field devices) sorted by memberId (UTF-16 code units,
    as given); optional v2 members only when present."""
    if not isinstance(statement, dict) or statement.get("purpose") not in (ROSTER_PURPOSE, STATEMENT_PURPOSE):
        raise ValueError("purpose")
    if not isinstance(statement.get("orgId"), str) or not statement["orgId"]:
        raise ValueError("orgId")
    version = statement.get("version")
    if not safe_int(version) or version < 1:
        raise ValueError("version")
    previous = statement.get("previous", 0)
    if (previous is not None) if version == 1 else not (isinstance(previous, str) and HEX64.fullmatch(previous)):
        raise ValueError("previous")
    k = statement.get("approvalsRequired")
    if not safe_int(k) or k < 1:
        raise ValueError("approvalsRequired")
    officers = statement.get("officers")
    if not isinstance(officers, list) or not officers:
        raise ValueError("officers")
    checked = []
    for officer in officers:
        if not isinstance(officer, dict) or not isinstance(officer.get("memberId"), str) or not officer["memberId"]:
            raise ValueError("memberId")
        if not key_ok(officer.get("signPublicKey")) or not key_ok(officer.get("boxPublicKey")):
            raise ValueError("key")
        checked.append({"memberId": officer["memberId"], "signPublicKey": officer["signPublicKey"], "boxPublicKey": officer["boxPublicKey"]})
    checked.sort(key=lambda officer: utf16(officer["memberId"]))
    if len({officer["memberId"] for officer in checked}) != len(checked) or len({officer["signPublicKey"] for officer in checked}) != len(checked):
        raise ValueError("duplicate")
    # The canonical bytes NFC-normalise every string: ids (or keys) equal after NFC would be one officer there.
    if len({unicodedata.normalize("NFC", officer["memberId"]) for officer in checked}) != len(checked) or len({unicodedata.normalize("NFC", officer["signPublicKey"]) for officer in checked}) != len(checked):
        raise ValueError("equal after NFC")
    normalised = {"purpose": statement["purpose"], "orgId": statement["orgId"], "version": version, "previous": previous, "approvalsRequired": k, "officers": checked}
    if statement["purpose"] == ROSTER_PURPOSE:
        # v1 has none of the v2 members: one there (even null) is refused, not dropped.
        for name in ("orgPublicKey", "fieldDevices", "retentionDays"):
            if name in statement:
                raise ValueError("a v1 statement carries no " + name)
        return normalised
    if not key_ok(statement.get("orgPublicKey")):
        raise ValueError("orgPublicKey")
    normalised["orgPublicKey"] = statement["orgPublicKey"]
    if "fieldDevices" in statement:
        normalised["fieldDevices"] = field_devices(statement["fieldDevices"], checked)
    if "retentionDays" in statement:
        days = statement["retentionDays"]
        if not safe_int(days) or not 1 <= days <= 3650:
            raise ValueError("retentionDays")
        normalised["retentionDays"] = days
    return normalised


def field_devices(devices, officers):
    """fieldDevices of a v2 statement: a non-empty list of exactly {memberId, signPublicKey}, sorted like
    officers; no memberId or signPublicKey twice among officers and field devices, as given or after NFC."""
    if not isinstance(devices, list) or not devices:
        raise ValueError("fieldDevices")  # left out when there are none: [] is refused
    checked = []
    for device in devices:
        if not isinstance(device, dict) or set(device) != {"memberId", "signPublicKey"}:
            raise ValueError("field device members")
        if not isinstance(device["memberId"], str) or not device["memberId"] or not key_ok(device["signPublicKey"]):
            raise ValueError("field device")
        checked.append({"memberId": device["memberId"], "signPublicKey": device["signPublicKey"]})
    checked.sort(key=lambda device: utf16(device["memberId"]))
    everyone = officers + checked
    for name in ("memberId", "signPublicKey"):
        values = [member[name] for member in everyone]
        if len(set(values)) != len(values) or len({unicodedata.normalize("NFC", value) for value in values}) != len(values):
            raise ValueError("a " + name + " listed twice among officers and field devices")
    return checked


def one_officer_suffices(previous, statement):
    """A v2 link after a v2 statement P that keeps P's approvalsRequired, orgPublicKey, retentionDays (both
    absent counts as the same) and officers (same memberIds, same two keys each), so that it differs from P
    in fieldDevices alone, needs one officer of P (decision 0605)."""
    return (
        previous["purpose"] == STATEMENT_PURPOSE
        and statement["purpose"] == STATEMENT_PURPOSE
        and statement["approvalsRequired"] == previous["approvalsRequired"]
        and statement["orgPublicKey"] == previous["orgPublicKey"]
        and statement.get("retentionDays") == previous.get("retentionDays")
        and officer_keys(statement) == officer_keys(previous)
    )


def officer_keys(statement):
    return {officer["memberId"]: (officer["signPublicKey"], officer["boxPublicKey"]) for officer in statement["officers"]}


def roster_hash(statement):
    return hashlib.sha256(canonical(statement)).hexdigest()


def signatures_of(signed, purpose):
    """[(signerId, signature)]: the proposer's, then each co-signature. ValueError when malformed."""
    cosignatures = signed.get("cosignatures", [])
    if not isinstance(cosignatures, list) or (purpose == ROSTER_PURPOSE and cosignatures):
        raise ValueError("cosignatures")
    entries = [signed] + cosignatures
    if not all(isinstance(entry, dict) and isinstance(entry.get("signerId"), str) and isinstance(entry.get("signature"), str) for entry in entries):
        raise ValueError("signature entry")
    return [(entry["signerId"], entry["signature"]) for entry in entries]


def check_link(signed, before, org_id):
    """One statement of a chain against `before` ((statement, hash) or None). Returns (statement, hash)."""
    raw = signed.get("statement") if isinstance(signed, dict) else None
    claimed = raw["version"] if isinstance(raw, dict) and isinstance(raw.get("version"), (int, float)) and not isinstance(raw.get("version"), bool) else (before[0]["version"] if before else 0) + 1
    try:
        statement = normalise_statement(raw)
    except ValueError:
        raise Refused("bad_format", claimed)
    version = statement["version"]
    if org_id is not None and statement["orgId"] != org_id:
        raise Refused("bad_format", version)
    if before is None:
        if version != 1:
            raise Refused("bad_format", version)
    elif version != before[0]["version"] + 1 or statement["previous"] != before[1]:
        raise Refused("bad_format", version)
    # Who may sign: officers of the statement before (of the statement itself for version 1).
    pool = statement["officers"] if before is None else before[0]["officers"]
    purpose = statement["purpose"]
    if purpose == ROSTER_PURPOSE:
        if before is not None and before[0]["purpose"] == STATEMENT_PURPOSE:
            raise Refused("bad_format", version)  # a v1 statement never follows a v2 one
        needed = 1
    elif before is None:
        needed = len(statement["officers"])  # every officer it lists
    elif one_officer_suffices(before[0], statement):
        needed = 1  # fieldDevices alone changed
    else:
        needed = min(before[0]["approvalsRequired"], len(before[0]["officers"]))  # quorum(P)
    try:
        signatures = signatures_of(signed, purpose)
    except ValueError:
        raise Refused("bad_format", version)
    signer_ids = [signer_id for signer_id, _ in signatures]
    if len(set(signer_ids)) != len(signer_ids):
        raise Refused("bad_format", version)
    message = canonical(statement)
    for signer_id, signature in signatures:
        officer = next((officer for officer in pool if officer["memberId"] == signer_id), None)
        if officer is None:
            raise Refused("bad_format", version)
        try:
            nacl.signing.VerifyKey(b64(officer["signPublicKey"])).verify(message, b64(signature))
        except (Refused, nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError):
            raise Refused("bad_format", version)
    if purpose == ROSTER_PURPOSE and len(signatures) != 1 or len(signatures) < needed:
        raise Refused("bad_format", version)
    return (statement, roster_hash(statement))


def verify_chain(chain, org_id, anchor=None):
    """anchor: (statement, hash) of the trusted version before chain[0], or None. Returns (statement, hash) of the head."""
    if not chain:
        raise Refused("bad_format", anchor[0]["version"] + 1 if anchor else 1)
    before = anchor
    for signed in chain:
        before = check_link(signed, before, org_id)
    return before


def verify_from_pin(pin, chain, org_id):
    expected_org = org_id if org_id is not None else (pin or {}).get("orgId")
    if not chain:
        raise Refused("bad_format", pin["version"] if pin else 1)
    if pin is None:
        return verify_chain(chain, expected_org)
    if expected_org != pin["orgId"]:
        raise Refused("bad_format", pin["version"])
    version_of = lambda signed: signed.get("statement", {}).get("version") if isinstance(signed, dict) and isinstance(signed.get("statement"), dict) else None
    if version_of(chain[0]) == 1:
        before = None
        seen = None
        for index in range(len(chain)):
            before = verify_chain(chain[index : index + 1], pin["orgId"], before)
            if before[0]["version"] == pin["version"]:
                seen = before[1]
        if seen is None:
            raise Refused("bad_format", pin["version"])  # a rollback
        if seen != pin["hash"]:
            raise Refused("bad_format", pin["version"])  # a fork
        return before
    positions = [index for index, signed in enumerate(chain) if version_of(signed) == pin["version"]]
    if not positions:
        raise Refused("bad_format", pin["version"])
    if positions[0] != 0:
        raise Refused("bad_format", version_of(chain[0]) if version_of(chain[0]) is not None else pin["version"])
    try:
        anchor = normalise_statement(chain[0]["statement"])
    except ValueError:
        raise Refused("bad_format", pin["version"])
    if anchor["orgId"] != pin["orgId"] or roster_hash(anchor) != pin["hash"]:
        raise Refused("bad_format", pin["version"])
    if len(chain) == 1:
        return (anchor, pin["hash"])
    return verify_chain(chain[1:], pin["orgId"], (anchor, pin["hash"]))


def roster_case(case):
    head, head_hash = verify_from_pin(case["pin"], case["chain"], case["orgId"])
    return {"ok": True, "version": head["version"], "hash": head_hash}


def statement_case(case):
    head, head_hash = verify_from_pin(case["pin"], case["chain"], case["orgId"])
    return {"ok": True, "version": head["version"], "hash": head_hash, "orgPublicKey": head.get("orgPublicKey")}


def judge_decisions(case):
    """Whose decisions count on a request filed under R (`atRequest`), with the head H."""
    try:
        at_request, head = normalise_statement(case["atRequest"]), normalise_statement(case["head"])
    except ValueError:
        raise Refused("bad_format")
    now = {officer["memberId"]: officer["signPublicKey"] for officer in head["officers"]}
    # Approvals: officers of R who are officers of H with the same signPublicKey.
    approve_keys = {officer["memberId"]: officer["signPublicKey"] for officer in at_request["officers"] if now.get(officer["memberId"]) == officer["signPublicKey"]}
    # Vetoes: officers of R, with the key R lists; officers of H not in R, with H's key.
    veto_keys = {officer["memberId"]: officer["signPublicKey"] for officer in at_request["officers"]}
    for member_id, key in now.items():
        veto_keys.setdefault(member_id, key)
    request_hash, k = case["requestHash"], case["approvalsRequired"]
    approvers, vetoers = set(), set()
    for decision in case["decisions"]:
        if not isinstance(decision, dict) or decision.get("requestHash") != request_hash:
            continue
        kind, member_id = decision.get("decision"), decision.get("memberId")
        if kind not in ("approve", "veto") or not isinstance(member_id, str):
            continue
        key = (veto_keys if kind == "veto" else approve_keys).get(member_id)
        if key is None:
            continue
        message = canonical({"purpose": DECISION_PURPOSE, "requestHash": request_hash, "decision": kind, "memberId": member_id})
        try:
            nacl.signing.VerifyKey(b64(key)).verify(message, b64(decision.get("signature")))
        except (Refused, nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError):
            continue
        (vetoers if kind == "veto" else approvers).add(member_id)
    if vetoers:
        return {"ok": False, "reason": "vetoed", "vetoedBy": sorted(vetoers, key=utf16)}
    if len(approvers) < k:
        return {"ok": False, "reason": "not_enough_approvals", "approvers": sorted(approvers, key=utf16)}
    return {"ok": True, "approvers": sorted(approvers, key=utf16)}


# Recovery shares -------------------------------------------------------------------------------------

def gf_mul(a, b):
    """Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (0x11B)."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return product


def gf_inverse(a):
    result = 1
    for _ in range(254):  # a^254 = a^-1 in GF(2^8)
        result = gf_mul(result, a)
    return result


def combine(shares):
    """Lagrange interpolation at 0; each share is y bytes then the x coordinate."""
    if len(shares) < 2 or len({len(share) for share in shares}) != 1 or len(shares[0]) < 2:
        raise Refused("not_enough_shares")
    xs = [share[-1] for share in shares]
    if len(set(xs)) != len(xs):
        raise Refused("not_enough_shares")
    secret = bytearray(len(shares[0]) - 1)
    for i, share in enumerate(shares):
        basis = 1
        for l, x in enumerate(xs):
            if l != i:
                basis = gf_mul(basis, gf_mul(x, gf_inverse(xs[i] ^ x)))
        for j in range(len(secret)):
            secret[j] ^= gf_mul(share[j], basis)
    return bytes(secret)


def parse_share(text):
    parts = text.strip().split(".") if isinstance(text, str) else [""]
    if parts[0] != "buffer-recovery-v1":
        raise Refused("unsupported_version" if parts[0].startswith("buffer-recovery-") else "bad_format")
    if len(parts) != 7:
        raise Refused("bad_format")
    body = ".".join(parts[:6])
    if to_b64(hashlib.sha256(body.encode("utf-8")).digest()[:4]) != parts[6]:
        raise Refused("bad_format")
    counts = re.fullmatch(r"([0-9]{1,3})of([0-9]{1,3})", parts[3])
    if not counts or not 2 <= int(counts.group(1)) <= int(counts.group(2)) <= 255:
        raise Refused("bad_format")
    if not re.fullmatch(r"[1-9][0-9]{0,2}", parts[4]) or int(parts[4]) > 255:
        raise Refused("bad_format")
    try:
        org_id = b64(parts[1]).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("bad_format")
    if not re.fullmatch(r"(?:[0-9a-f]{2})*", parts[2]):
        raise Refused("bad_format")
    return {"orgId": org_id, "keyId": parts[2], "threshold": int(counts.group(1)), "index": int(parts[4]), "share": b64(parts[5])}


def recover(texts, org_id, org_pk):
    shares = [parse_share(text) for text in texts]
    key_id = sodium.crypto_generichash_blake2b_salt_personal(b"buffer/org-key-id/v1" + org_pk, digest_size=32)[:8].hex()
    for share in shares:
        if share["orgId"] != org_id or share["keyId"] != key_id:
            raise Refused("wrong_key")
    distinct = list({share["share"]: None for share in shares})
    threshold = shares[0]["threshold"] if shares else 2
    if len(distinct) < threshold or any(share["threshold"] != threshold for share in shares):
        raise Refused("not_enough_shares")
    secret = combine(distinct)
    if len(secret) != 32 or sodium.crypto_scalarmult_base(secret) != org_pk:
        raise Refused("not_enough_shares")
    return {"ok": True, "secretKey": to_b64(secret)}


# -----------------------------------------------------------------------------------------------------

def run(case_function, cases):
    results = []
    for case in cases:
        try:
            results.append(case_function(case))
        except Refused as refused:
            result = {"ok": False, "error": refused.code}
            if refused.version is not None:
                result["version"] = refused.version
            results.append(result)
    return results


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        vector = json.load(handle)
    name = argv[1].rsplit("/", 1)[-1]
    if name == "canonical.json":
        results = check_canonical(vector)
    elif name.startswith("locked-keys-"):
        results = run(lambda case: unlock(case["locked"], case["passphrase"]), vector["cases"])
    elif name.startswith("roster-"):
        results = run(roster_case, vector["cases"])
    elif name.startswith("org-statement-"):
        results = run(statement_case, vector["cases"]) + run(judge_decisions, vector["decisions"])
    elif name.startswith("recovery-"):
        org_pk = b64(vector["orgPublicKey"])
        results = run(lambda case: recover(case["shares"], vector["orgId"], org_pk), vector["cases"])
    else:
        print("unknown vector file: %s" % name, file=sys.stderr)
        return 2
    for result in results:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
