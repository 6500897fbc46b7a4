#!/usr/bin/env python3
"""Opens a buffer release bundle (buffer/release-bundle/v1) with PyNaCl, following crypto/FORMAT.md.

Written from FORMAT.md alone ("Release bundle", "Opening a bundle, step by step"), as a
consulate's developer would: it shares no code with the TypeScript implementation. Usage:

    open_bundle.py VECTOR.json          # a test vector: bundle + keys + expectations in one file

Prints one JSON object: {"ok": true, "records": [...]} or {"ok": false, "error": CODE, "message": ...}
and exits 0 when the bundle opened, 1 when it was refused, 2 on a usage error.
"""
import base64
import hashlib
import json
import re
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
BUNDLE_FORMAT = "buffer/release-bundle/v1"
RECORDS_FORMAT = "buffer/release-records/v1"
MAX_MANIFEST = 16 * 1024 * 1024
B64_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def b64(text):
    """base64url without padding, strict: no '=', only the URL-safe alphabet, canonical."""
    if not isinstance(text, str) or len(text) % 4 == 1 or any(ch not in B64_ALPHABET for ch in text):
        raise Refused("bad_format", "bad base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != text:
        raise Refused("bad_format", "non-canonical base64url")
    return raw


def to_b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def bucket(n):
    """FORMAT.md, Padding: the padded length B(n)."""
    m = n + 1
    if m <= 256:
        return 256
    e = m.bit_length() - 1
    s = e.bit_length()  # floor(log2 e) + 1
    step = 1 << (e - s)
    return -(-m // step) * step


def unpad(padded):
    """Strip zeros, then 0x80; the padded length must be the bucket of what is left."""
    if not padded:
        raise Refused("tampered", "bad padding")
    try:
        plain = sodium.sodium_unpad(padded, len(padded))
    except nacl.exceptions.CryptoError:
        raise Refused("tampered", "bad padding")
    if bucket(len(plain)) != len(padded):
        raise Refused("tampered", "padded length is not the bucket of the plaintext")
    return plain


def parse_json(text):
    """RFC 8259 JSON: NaN, Infinity and -Infinity are not JSON."""
    def no_constant(name):
        raise ValueError(name)
    return json.loads(text, parse_constant=no_constant)


def parse_time(text):
    """FORMAT.md, Conventions: a UTC time, compared at millisecond precision (extra digits cut)."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z", text) if isinstance(text, str) else None
    if not match:
        raise ValueError("not a time")
    whole = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return whole.replace(microsecond=int((match.group(2) or "0")[:3].ljust(3, "0")) * 1000)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def open_bundle(data, pk, sk, request_hash, org_id, officer_keys, now, approved):
    # 1. magic
    if not data.startswith(MAGIC):
        if data.startswith(MAGIC_FAMILY):
            raise Refused("unsupported_version", "release bundle version not supported")
        raise Refused("bad_format", "not a release bundle")
    # 2. manifest length, manifest, signature
    if len(data) < 29:
        raise Refused("bad_format", "truncated")
    (m,) = struct.unpack(">I", data[25:29])
    if m > MAX_MANIFEST or len(data) < 93 + m:
        raise Refused("bad_format", "truncated")
    manifest_bytes = data[29 : 29 + m]
    signature = data[29 + m : 93 + m]
    # 3. untrusted parse, only to find the signer
    try:
        manifest = parse_json(manifest_bytes.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise Refused("bad_format", "manifest is not JSON")
    signer = manifest.get("releasedBy") if isinstance(manifest, dict) else None
    signer = signer.get("signPublicKey") if isinstance(signer, dict) else None
    if not isinstance(signer, str):
        raise Refused("bad_format", "manifest names no signer")
    # 4. signer is an officer; signature over the exact manifest bytes
    if signer not in officer_keys:
        raise Refused("bad_signature", "not signed by an officer")
    try:
        nacl.signing.VerifyKey(b64(signer)).verify(manifest_bytes, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError):
        raise Refused("bad_signature", "signature does not verify")
    # 5. shape and file length
    if manifest.get("format") != BUNDLE_FORMAT:
        raise Refused("bad_format", "manifest format")
    names = ["bundleId", "orgId", "requestHash", "recipient", "createdAt", "expiresAt", "sealedKey"]
    if any(not isinstance(manifest.get(name), str) for name in names) or not isinstance(manifest["releasedBy"].get("memberId"), str):
        raise Refused("bad_format", "manifest is missing fields")
    chunk_size = manifest.get("chunkSize")
    chunks = manifest.get("chunks")
    if not is_int(chunk_size) or chunk_size < 1 or not isinstance(chunks, list):
        raise Refused("bad_format", "bad chunk list")
    for chunk in chunks:
        if not isinstance(chunk, dict) or not is_int(chunk.get("bytes")) or not 17 <= chunk["bytes"] <= chunk_size + 16 or not isinstance(chunk.get("sha256"), str):
            raise Refused("bad_format", "bad chunk entry")
    if len(data) != 93 + m + sum(24 + chunk["bytes"] for chunk in chunks):
        raise Refused("bad_format", "file length does not match the manifest")
    # 6. what it is for
    if manifest["requestHash"] != request_hash:
        raise Refused("out_of_scope", "bundle answers another request")
    if manifest["orgId"] != org_id:
        raise Refused("out_of_scope", "bundle comes from another org")
    try:
        expired = now >= parse_time(manifest["expiresAt"])
    except ValueError:
        expired = True
    if expired:
        raise Refused("out_of_scope", "bundle has expired")
    # 7. recipient and bundle key
    if manifest["recipient"] != to_b64(pk):
        raise Refused("wrong_key", "bundle sealed to another recipient")
    try:
        bundle_key = sodium.crypto_box_seal_open(b64(manifest["sealedKey"]), pk, sk)
    except (Refused, nacl.exceptions.CryptoError):
        raise Refused("wrong_key", "cannot open the bundle key")
    if len(bundle_key) != 32:
        raise Refused("wrong_key", "the sealed key is not a 32-byte key")
    # 8. chunks, in order
    offset = 93 + m
    count = len(chunks)
    parts = []
    for i, chunk in enumerate(chunks):
        frame = data[offset : offset + 24 + chunk["bytes"]]
        offset += len(frame)
        if to_b64(hashlib.sha256(frame).digest()) != chunk["sha256"]:
            raise Refused("tampered", "chunk %d does not match the manifest" % i)
        ad = ("%s|%s|%d|%d" % (BUNDLE_FORMAT, manifest["bundleId"], i, count)).encode("utf-8")
        try:
            plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(frame[24:], ad, frame[:24], bundle_key)
        except nacl.exceptions.CryptoError:
            raise Refused("tampered", "chunk %d failed authentication" % i)
        if i < count - 1 and len(plain) != chunk_size:
            raise Refused("tampered", "chunk %d has the wrong size" % i)
        parts.append(plain)
    # 9. unpad, with the bucket check
    payload = unpad(b"".join(parts))
    # 10. UTF-8, lines
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("bad_format", "payload is not UTF-8")
    lines = text.split("\n")
    if lines.pop() != "":
        raise Refused("tampered", "payload does not end with a newline")
    # 11. header
    if not lines:
        raise Refused("tampered", "no header")
    try:
        header = parse_json(lines.pop(0))
    except ValueError:
        raise Refused("bad_format", "header is not JSON")
    if not isinstance(header, dict) or header.get("format") != RECORDS_FORMAT or not is_int(header.get("recordCount")) or header["recordCount"] != len(lines) or not isinstance(header.get("fields"), list):
        raise Refused("tampered", "record count or header does not match")
    fields = header["fields"]
    # 12. only approved fields
    if any(field not in approved for field in fields):
        raise Refused("out_of_scope", "bundle carries fields that were not approved")
    # 13. records
    try:
        records = [parse_json(line) for line in lines]
    except ValueError:
        raise Refused("bad_format", "a record line is not JSON")
    for record in records:
        if not isinstance(record, dict):
            raise Refused("bad_format", "a record is not a JSON object")
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
            vector["orgId"],
            vector["officerKeys"],
            parse_time(vector["now"]) if vector.get("now") else datetime.now(timezone.utc),
            vector["fields"],
        )
    except Refused as refused:
        print(json.dumps({"ok": False, "error": refused.code, "message": str(refused)}))
        return 1
    print(json.dumps({"ok": True, "records": records}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
