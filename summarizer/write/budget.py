"""The write stage's one token budget: how much of the model's context a prompt may fill.

Both ways of writing ask it: one sentence per claim (the claim's source sentences must fit, see
``sentence.fit_to_context``) and the abstractive digest (how many passages fit, see ``compose``).
A prompt may fill the context less what is kept for the answer; the backend counts the tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

from ..backends import Backend

PER_MESSAGE_OVERHEAD = 8  # chat-template tokens around each turn (ChatML uses 5)

T = TypeVar("T")


@dataclass
class TokenBudget:
    backend: Backend
    reserve: int  # tokens kept free: the answer, and whatever the caller adds around what it measures

    @property
    def limit(self) -> int:
        return self.backend.context_length - self.reserve

    def cost(self, text: str, overhead: int = 0) -> int:
        return self.backend.count_tokens(text) + overhead

    def prompt_cost(self, messages: Sequence[dict[str, str]]) -> int:
        """Tokens of a chat prompt: every turn's content and its template tokens."""
        return sum(self.cost(m["content"], PER_MESSAGE_OVERHEAD) for m in messages)

    def fits(self, messages: Sequence[dict[str, str]]) -> bool:
        return self.prompt_cost(messages) <= self.limit

    def leading(self, items: Sequence[T], text_of: Callable[[T], str], overhead: int = 0) -> list[T]:
        """The longest run of ``items`` from the first whose texts (each plus ``overhead``) fit together."""
        kept: list[T] = []
        used = 0
        for item in items:
            cost = self.cost(text_of(item), overhead)
            if used + cost > self.limit:
                break
            kept.append(item)
            used += cost
        return kept
