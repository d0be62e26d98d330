"""Hand-checked questions over a real corpus (``storybot eval-questions FILE``).

The questions (``bench/news-questions.jsonl``: ``{"id", "kind", "lang", "question",
"evidence"}``, written by hand over the news corpora) are asked of the corpus the settings name,
through the same ``Library.ask`` as users' questions. A question passes when one of the first
``k`` quotes holds one of its evidence strings (whitespace aside); a question of kind "absent"
passes when it is unanswered. Figures come per kind, so cross-language and paraphrased
questions are seen apart from the easy ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from index.evaluate import jsonl_records
from index.library import Library
from index.search.answer import Ranking

__all__ = ["QuestionResult", "ask_questions", "by_kind"]

ABSENT = "absent"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class QuestionResult:
    id: str
    kind: str
    question: str
    passed: bool
    rank: int | None  # where the first quote holding the evidence is (1-based)
    no_answer: bool
    top: tuple[str, ...] = field(default=())  # the first quotes, for reading misses


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


async def ask_questions(
    library: Library, path: Path, *, k: int = 3, ranking: Ranking | None = None
) -> list[QuestionResult]:
    """Ask every question of ``path``; the result of each."""
    results = []
    for record in jsonl_records(path):
        answer = await library.ask(record["question"], k=max(k, 10), ranking=ranking)
        texts = [_flat(q.text) for q in answer.quotes]
        kind = str(record.get("kind", ""))
        if kind == ABSENT:
            passed, rank = answer.no_answer, None
        else:
            evidence = record.get("evidence") or []
            wanted = [_flat(e) for e in ([evidence] if isinstance(evidence, str) else evidence)]
            rank = next((i + 1 for i, text in enumerate(texts)
                         if any(e in text for e in wanted)), None)
            passed = rank is not None and rank <= k
        results.append(QuestionResult(str(record["id"]), kind, record["question"], passed, rank,
                                      answer.no_answer, tuple(t[:160] for t in texts[:k])))
    return results


def by_kind(results: list[QuestionResult]) -> dict[str, tuple[int, int]]:
    """``kind → (passed, asked)``, and ``"all"``."""
    out: dict[str, tuple[int, int]] = {}
    for result in results:
        for kind in (result.kind, "all"):
            passed, asked = out.get(kind, (0, 0))
            out[kind] = (passed + result.passed, asked + 1)
    return out
