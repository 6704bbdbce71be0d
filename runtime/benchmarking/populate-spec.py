#!/usr/bin/env python3
"""Adds endowed accounts to a chain specification, for `benchmark storage`.

    populate-spec.py ACCOUNTS < spec.json > big-spec.json

A database weight measured on a near-empty state is optimistic: a shallow trie is read in fewer
steps and fits in any cache. The accounts (deterministic keys, 1 ZG each) give the state the
depth of a public chain's: every account is a `System::Account` entry and, through
pallet-revive's account mapping, a second key.
"""
import hashlib
import json
import sys

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
GENERIC_SUBSTRATE_PREFIX = 42  # accepted by every runtime's genesis parser
ONE_ZG = 10**18


def base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, digit = divmod(number, 58)
        encoded = ALPHABET[digit] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + encoded


def ss58(public_key: bytes) -> str:
    payload = bytes([GENERIC_SUBSTRATE_PREFIX]) + public_key
    checksum = hashlib.blake2b(b"SS58PRE" + payload, digest_size=64).digest()[:2]
    return base58(payload + checksum)


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: populate-spec.py ACCOUNTS < spec.json > big-spec.json")
    accounts = int(sys.argv[1])
    spec = json.load(sys.stdin)
    patch = spec["genesis"]["runtimeGenesis"]["patch"]
    balances = patch["balances"]["balances"]
    for index in range(accounts):
        key = hashlib.sha256(b"zerog-benchmark-account" + index.to_bytes(8, "little")).digest()
        balances.append([ss58(key), ONE_ZG])
    json.dump(spec, sys.stdout)


if __name__ == "__main__":
    main()
