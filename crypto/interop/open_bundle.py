#!/usr/bin/env python3
"""Opens a buffer release bundle (buffer/release-bundle/v1) with PyNaCl, following crypto/FORMAT.md.

Written from FORMAT.md alone, as a consulate's developer would: it shares no code with the
TypeScript implementation. Usage:

    open_bundle.py VECTOR.json          # a test vector: bundle + keys + expectations in one file

Prints one JSON object: {"ok": true, "records": [...]} or {"ok": false, "error": CODE, "message": ...}
and exits 0 when the bundle opened, 1 when it was refused, 2 on a usage error.
"""
import base64
import hashlib
import json
import struct
import sys
from datetime import datetime, timezone

try:
    import nacl.bindings as sodium
    import nacl.exceptions
    import nacl.signing
except ImportError:  # pragma: no cover - reported to the test runner
    print(json.dumps({"ok": False, "error": "missing_pynacl", "message": "PyNaCl is not installed for this python: run scripts/ensure-test-deps.sh"}))
    sys.exit(3)

MAGIC = b"buffer/release-bundle/v1\n"
MAGIC_FAMILY = b"buffer/release-bundle/"
RECORDS_FORMAT = "buffer/release-records/v1"


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def b64(text):
    """base64url without padding, strict: no '=', only the URL-safe alphabet, canonical."""
    if not isinstance(text, str) or "=" in text or len(text) % 4 == 1:
        raise Refused("bad_format", "bad base64url")
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    if any(ch not in allowed for ch in text):
        raise Refused("bad_format", "bad base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != text:
        raise Refused("bad_format", "non-canonical base64url")
    return raw


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def open_bundle(data, pk, sk, request_hash, officer_keys, now, approved_fields=None):
    # 1. magic
    if not data.startswith(MAGIC):
        if data.startswith(MAGIC_FAMILY):
            raise Refused("unsupported_version", "release bundle version not supported")
        raise Refused("bad_format", "not a release bundle")
    # 2. manifest and signature
    if len(data) < 29:
        raise Refused("bad_format", "truncated")
    (m,) = struct.unpack(">I", data[25:29])
    if len(data) < 93 + m:
        raise Refused("bad_format", "truncated")
    manifest_bytes = data[29 : 29 + m]
    signature = data[29 + m : 93 + m]
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        signer = manifest["releasedBy"]["signPublicKey"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise Refused("bad_format", "manifest is not the expected JSON")
    # 3. signer is an officer, signature over the exact manifest bytes
    if signer not in officer_keys:
        raise Refused("bad_signature", "not signed by an officer")
    try:
        nacl.signing.VerifyKey(b64(signer)).verify(manifest_bytes, signature)
    except nacl.exceptions.BadSignatureError:
        raise Refused("bad_signature", "signature does not verify")
    # 4. the manifest is now trusted: check what it is for
    if manifest.get("format") != "buffer/release-bundle/v1":
        raise Refused("bad_format", "manifest format")
    if manifest["requestHash"] != request_hash:
        raise Refused("out_of_scope", "bundle answers another request")
    if now >= parse_time(manifest["expiresAt"]):
        raise Refused("out_of_scope", "bundle has expired")
    if b64(manifest["recipient"]) != pk:
        raise Refused("wrong_key", "bundle sealed to another recipient")
    chunks = manifest["chunks"]
    chunk_size = manifest["chunkSize"]
    # 5. file length
    if len(data) != 93 + m + sum(24 + c["bytes"] for c in chunks):
        raise Refused("bad_format", "file length does not match the manifest")
    # 6. bundle key
    try:
        bundle_key = sodium.crypto_box_seal_open(b64(manifest["sealedKey"]), pk, sk)
    except nacl.exceptions.CryptoError:
        raise Refused("wrong_key", "cannot open the bundle key")
    # 7. chunks, in order
    offset = 93 + m
    count = len(chunks)
    parts = []
    for i, chunk in enumerate(chunks):
        frame = data[offset : offset + 24 + chunk["bytes"]]
        offset += len(frame)
        if base64.urlsafe_b64encode(hashlib.sha256(frame).digest()).rstrip(b"=").decode() != chunk["sha256"]:
            raise Refused("tampered", "chunk %d does not match the manifest" % i)
        ad = ("buffer/release-bundle/v1|%s|%d|%d" % (manifest["bundleId"], i, count)).encode("ascii")
        try:
            plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(frame[24:], ad, frame[:24], bundle_key)
        except nacl.exceptions.CryptoError:
            raise Refused("tampered", "chunk %d failed authentication" % i)
        if i < count - 1 and len(plain) != chunk_size:
            raise Refused("tampered", "chunk %d has the wrong size" % i)
        parts.append(plain)
    # 8. unpad, JSON Lines, header
    padded = b"".join(parts)
    try:
        payload = sodium.sodium_unpad(padded, len(padded))
    except Exception:
        raise Refused("tampered", "bad padding")
    lines = payload.decode("utf-8").split("\n")
    if lines.pop() != "":
        raise Refused("tampered", "payload does not end with a newline")
    header = json.loads(lines.pop(0)) if lines else None
    if not isinstance(header, dict) or header.get("format") != RECORDS_FORMAT or header.get("recordCount") != len(lines):
        raise Refused("tampered", "record count or header does not match")
    fields = header["fields"]
    if approved_fields is not None and any(f not in approved_fields for f in fields):
        raise Refused("out_of_scope", "bundle carries fields that were not approved")
    records = [json.loads(line) for line in lines]
    for record in records:
        if any(key not in fields for key in record):
            raise Refused("out_of_scope", "record carries a field outside the header's fields")
    return records


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        vector = json.load(handle)
    try:
        records = open_bundle(
            b64(vector["bundle"]),
            b64(vector["recipientPublicKey"]),
            b64(vector["recipientSecretKey"]),
            vector["requestHash"],
            vector["officerKeys"],
            parse_time(vector["now"]) if vector.get("now") else datetime.now(timezone.utc),
            vector.get("fields"),
        )
    except Refused as refused:
        print(json.dumps({"ok": False, "error": refused.code, "message": str(refused)}))
        return 1
    print(json.dumps({"ok": True, "records": records}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
