"""The keyed hash personal data leaves staging as: HMAC-SHA256 of the trimmed, lower-cased value.

The key comes from env CRM_PII_KEY. Without it the public demo key below is used (fine for the demo data, not for
real contacts: anyone can recompute those hashes from an email list) and a one-line warning says so.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys
from collections.abc import Mapping

PII_KEY_ENV = "CRM_PII_KEY"
DEMO_PII_KEY = "crm-warehouse-public-demo-key"
UNSET_WARNING = (
    f"Warning: {PII_KEY_ENV} is not set: personal data is hashed with the public demo key; "
    f"set {PII_KEY_ENV} to a secret before building from real contacts (README, 'Personal data')."
)


def pii_key(environ: Mapping[str, str] = os.environ) -> tuple[bytes, bool]:
    """(key, whether it is the demo default): an empty or blank CRM_PII_KEY counts as unset."""
    key = environ.get(PII_KEY_ENV, "")
    if key.strip():
        return key.encode("utf-8"), False
    return DEMO_PII_KEY.encode("utf-8"), True


def pii_hash(key: bytes, value: str) -> str:
    """Hex HMAC-SHA256 of value under key (the value as staging passes it: already trimmed and lower-cased)."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def warn_if_demo_key(is_demo: bool) -> None:
    if is_demo:
        print(UNSET_WARNING, file=sys.stderr, flush=True)
