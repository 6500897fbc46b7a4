#!/usr/bin/env python3
"""Opens buffer record envelopes (kind "R", version 1) with PyNaCl, following crypto/FORMAT.md.

Written from FORMAT.md alone ("Record envelope", "Padding"), to show the record format is exact
enough for another binding. Usage: open_records.py records-v1.json  -> prints one JSON result per
case, in order: {"ok": true, "plaintext": ...} or {"ok": false, "error": CODE}.
"""
import base64
import json
import struct
import sys

import nacl.bindings as sodium
import nacl.exceptions
import nacl.signing


class Refused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def b64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def lp(value):
    data = value.encode("utf-8") if isinstance(value, str) else value
    return struct.pack(">I", len(data)) + data


def blake2b_256(data):
    return sodium.crypto_generichash_blake2b_salt_personal(data, digest_size=32)


def keyid(public_key):
    return blake2b_256(b"buffer/org-key-id/v1" + public_key)[:8]


def bucket(n):
    m = n + 1
    if m <= 256:
        return 256
    e = m.bit_length() - 1
    s = e.bit_length()  # floor(log2 e) + 1
    step = 1 << (e - s)
    return -(-m // step) * step


def unpad(padded):
    if not padded:
        raise Refused("tampered")
    try:
        plaintext = sodium.sodium_unpad(padded, len(padded))
    except nacl.exceptions.CryptoError:
        raise Refused("tampered")
    if bucket(len(plaintext)) != len(padded):
        raise Refused("tampered")
    return plaintext


def open_record(envelope, org_id, record_id, version, org_pk, org_sk):
    # 1. record id and version
    if not isinstance(record_id, str) or isinstance(version, bool) or not isinstance(version, int) or not 0 <= version < 2**32:
        raise Refused("bad_format")
    # 2. tag and version
    if len(envelope) < 2 or envelope[0] != 0x52:
        raise Refused("bad_format")
    if envelope[1] != 0x01:
        raise Refused("unsupported_version")
    # 3. length
    if len(envelope) < 138 + 16 + 1:
        raise Refused("bad_format")
    # 4. key id
    if envelope[2:10] != keyid(org_pk):
        raise Refused("wrong_key")
    # 5. session key (X25519 of a small-order point fails)
    session_pk = envelope[10:42]
    try:
        shared = sodium.crypto_scalarmult(org_sk, session_pk)
    except nacl.exceptions.RuntimeError:
        raise Refused("wrong_key")
    session_key = blake2b_256(b"buffer/record-session/v1" + shared + session_pk + org_pk)
    tail = lp(record_id) + struct.pack(">I", version)
    try:
        # 6. data key
        data_key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(envelope[66:114], lp("buffer/record-key/v1") + lp(org_id) + tail, envelope[42:66], session_key)
        # 7. body
        padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(envelope[138:], lp("buffer/record-body/v1") + lp(org_id) + tail, envelope[114:138], data_key)
    except nacl.exceptions.CryptoError:
        raise Refused("tampered")
    return read_body(unpad(padded), org_id)


def read_body(body, org_id):
    """FORMAT.md, "Record body and its author": (record text, author key in base64url or None)."""
    if body[:2] != b"\x41\x01":
        return body.decode("utf-8"), None
    if len(body) < 98:
        raise Refused("bad_format")
    author, signature = body[2:34], body[34:98]
    try:
        nacl.signing.VerifyKey(author).verify(lp("buffer/record-author/v1") + lp(org_id) + author, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError):
        raise Refused("tampered")
    return body[98:].decode("utf-8"), base64.urlsafe_b64encode(author).decode("ascii").rstrip("=")


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        vector = json.load(handle)
    org_pk, org_sk = b64(vector["orgPublicKey"]), b64(vector["orgSecretKey"])
    for case in vector["cases"]:
        try:
            text, author = open_record(b64(case["envelope"]), case["orgId"], case["recordId"], case["version"], org_pk, org_sk)
            opened = {"ok": True, "plaintext": text}
            if author is not None:
                opened["author"] = author
            print(json.dumps(opened, ensure_ascii=False))
        except Refused as refused:
            print(json.dumps({"ok": False, "error": refused.code}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
