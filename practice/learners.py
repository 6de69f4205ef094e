"""Anonymous learners: device tokens and the short "continue on another device" code.

A device token is 32 random bytes (``secrets``), kept by the browser in a cookie and in
localStorage; the database keeps only its SHA-256 (a token that cannot be guessed needs no
slow hash). A code is 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L, U/V):
29^8 ≈ 5e11 codes. It is stored as a keyed hash, expires after ``PRACTICE_CODE_HOURS`` and
failed attempts are throttled per address (practice/views.py).
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils.crypto import salted_hmac

COOKIE = "vk_learner"
COOKIE_MAX_AGE = 60 * 60 * 24 * 400  # about the most a browser keeps a cookie
TOKEN_MAX = 64
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # no 0 O 1 I L U V
CODE_LENGTH = 8


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """What a person typed, as the code: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in str(typed)[:40].upper() if ch not in " -")


def valid_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def code_hash(code: str) -> str:
    return salted_hmac("practice.learner_code", code).hexdigest()


def shown_code(code: str) -> str:
    """The code as shown: two groups of four (easier to read out and type)."""
    return f"{code[:4]}-{code[4:]}"
