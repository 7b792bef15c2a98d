"""Prompt templates: files in the `prompts` package, `$var` placeholders (string.Template).

A file may be split into chat turns by header lines `=== system ===`, `=== user ===`,
`=== assistant ===`; `render_messages` returns those turns, `render_prompt` the whole text.
Every substituted value is treated as untrusted source text: chat-template control strings and the
template's own delimiter tags (e.g. <source>) are removed, so an article cannot close its <source>
block and speak as the instructions. See prompts/README.md.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from string import Template

from digest_core.errors import UserError

from .backends.base import Message, sanitize_untrusted

_HEADER = re.compile(r"^=== (system|user|assistant) ===[ \t]*$", re.MULTILINE)
_TAG = re.compile(r"</?([A-Za-z_][A-Za-z0-9_-]*)>")


class PromptError(UserError, ValueError):
    """Unknown prompt name or wrong variables; the message says which."""


def available_prompts() -> list[str]:
    return sorted(p.name[:-4] for p in files("prompts").iterdir() if p.name.endswith(".txt"))


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise PromptError(f"bad prompt name {name!r}: use lowercase letters, digits and _")
    resource = files("prompts") / f"{name}.txt"
    if not resource.is_file():
        raise PromptError(f"unknown prompt {name!r}; available: {', '.join(available_prompts())}")
    return resource.read_text(encoding="utf-8")


def prompt_variables(name: str) -> set[str]:
    return set(Template(load_prompt(name)).get_identifiers())


def _neutralise(value: object, tags: set[str]) -> str:
    text = _HEADER.sub(" ", sanitize_untrusted(str(value)))  # a value must not open a new chat turn
    if tags:
        text = re.sub(r"</?(?:%s)\s*>" % "|".join(map(re.escape, sorted(tags))), " ", text, flags=re.IGNORECASE)
    return text


def render_prompt(name: str, **variables: object) -> str:
    """Fill `$var`s; a missing or unexpected variable is an error (it is always a caller bug)."""
    template_text = load_prompt(name)
    template = Template(template_text)
    wanted = set(template.get_identifiers())
    missing, extra = wanted - variables.keys(), variables.keys() - wanted
    if missing or extra:
        parts = ([f"missing {sorted(missing)}"] if missing else []) + ([f"unexpected {sorted(extra)}"] if extra else [])
        raise PromptError(f"prompt {name!r}: {'; '.join(parts)} (it takes {sorted(wanted)})")
    tags = set(_TAG.findall(template_text))
    return template.substitute({k: _neutralise(v, tags) for k, v in variables.items()})


def split_messages(text: str) -> list[Message]:
    """Split rendered text on `=== role ===` headers; text without headers is one user turn."""
    parts = _HEADER.split(text)
    if len(parts) == 1:
        return [{"role": "user", "content": text.strip()}]
    return [{"role": role, "content": body.strip()} for role, body in zip(parts[1::2], parts[2::2])]


def render_messages(name: str, **variables: object) -> list[Message]:
    return split_messages(render_prompt(name, **variables))
