"""Secrets (API keys, tokens, header values) go where they are meant to go and nowhere else.

Every `Settings` object registers its secret values here (`remember`). Whatever this program writes
passes through `redact` on its way out: the CLI's stdout and stderr (`RedactingStream`), digest.json,
digest.md and report.html, `digest eval` reports and the LLM cache. So a secret that reaches a message
anyway (a gateway that echoes the key in its error body, a password inside a URL) is written as ****.
Where a setting is shown (`digest doctor`), `mask` shows at most its last four characters.

Header settings are JSON objects, parsed here with errors that name the setting, never its value.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from digest_core.errors import UserError

MASK = "****"
MIN_LENGTH = 4  # shorter values are not secrets worth the name, and masking them would mangle ordinary text
_KNOWN: set[str] = set()
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP token (RFC 9110)


class SettingError(UserError, ValueError):
    """A setting with an unusable value; the message names the setting, never a secret."""


def remember(*values: str | None) -> None:
    """Register secret values, so that `redact` removes them from every output."""
    for value in values:
        if value and len(value) >= MIN_LENGTH:
            _KNOWN.add(value)


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ****."""
    for value in sorted(_KNOWN, key=len, reverse=True):  # longest first: a key that contains another
        if value in text:
            text = text.replace(value, MASK)
    return text


def mask(value: str | None) -> str:
    """How a secret setting is shown: 'not set', or **** plus at most its last four characters."""
    if not value:
        return "not set"
    return MASK + value[-4:] if len(value) >= 16 else MASK


def redact_url(url: str) -> str:
    """``url`` without a user name or password, and with the values of its query parameters masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = re.sub(r"=[^&]*", "=" + MASK, parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def parse_headers(raw: str | None, setting: str) -> dict[str, str]:
    """A JSON object of header names to string values, e.g. {"X-Api-Key": "..."}; {} when unset."""
    if raw is None or not raw.strip():
        return {}
    example = f'{setting}=\'{{"X-Api-Key": "..."}}\''
    try:
        data: Any = json.loads(raw)
    except ValueError:
        raise SettingError(f"{setting} is not valid JSON; give a JSON object of header names to values: {example}") from None
    if not isinstance(data, dict):
        raise SettingError(f"{setting} must be a JSON object of header names to values: {example}")
    headers: dict[str, str] = {}
    for name, value in data.items():
        if not _HEADER_NAME.fullmatch(name):
            raise SettingError(f"{setting}: {name!r} is not a valid HTTP header name")
        if not isinstance(value, str) or any(c in value for c in "\r\n\x00"):
            raise SettingError(f"{setting}: the value of header {name!r} must be a string on one line")
        headers[name] = value
    return headers


class RedactingStream:
    """A text stream over sys.stdout or sys.stderr (looked up at each write) that redacts secrets."""

    def __init__(self, name: str):
        self._name = name

    @property
    def _stream(self):
        return getattr(sys, self._name)

    def write(self, text: str) -> int:
        self._stream.write(redact(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._stream, attr)
