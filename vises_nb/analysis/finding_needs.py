"""Which evaluative questions still need a written finding, and where each finding is kept.

A question *has results* when one of its indicators has at least one answer (the same
rule as "no data collected" in step 2). Each such question needs a finding — the
accompanier's or the enterprise's reading of its results — before step 3 can be marked
completed; the next-action panel proposes writing it. Pure functions of the enterprise's
data.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from vises_nb.store.loading import EnterpriseData

ID_LIMIT = 64  # model.Identifier's max_length
_MARKS = {"accompanier": "FA", "enterprise": "FE"}


def finding_id(enterprise_id: str, question_id: str, author: str) -> str:
    """The id of `author`'s finding on a question: `<question>-FA` / `<question>-FE` (as the
    sample writes them), or a digest of both when that would be too long. One id per
    (question, author): two people writing the same finding at once make the second save
    a conflict, never a second finding."""
    mark = _MARKS[author]
    plain = f"{question_id}-{mark}"
    if len(plain) <= ID_LIMIT:
        return plain
    digest = hashlib.sha256(f"{enterprise_id}\n{question_id}".encode()).hexdigest()[:24]
    return f"{mark}-{digest}"


def answered_indicators(data: EnterpriseData) -> set[str]:
    """Indicators with at least one answer (cleaning log applied)."""
    responses = data.responses
    if responses.empty or data.items.empty:
        return set()
    answered = set(responses.dropna(subset=["value"])["item_id"])
    items = data.items[data.items["id"].isin(answered)]
    return {i for i in items["indicator_id"] if isinstance(i, str) and i}


def questions_with_results(data: EnterpriseData) -> list[str]:
    """Ids of the questions (in id order) one of whose indicators has answers."""
    if data.questions.empty or data.indicators.empty:
        return []
    answered = answered_indicators(data)
    linked = data.indicators[data.indicators["id"].isin(answered)]
    with_results = {q for q in linked["question_id"] if isinstance(q, str)}
    return [q for q in sorted(data.questions["id"]) if q in with_results]


def written(data: EnterpriseData) -> pd.DataFrame:
    """The stored findings (empty frame with the table's columns when there are none)."""
    frame = data.frames.get("question_findings")
    if frame is None:
        return pd.DataFrame(columns=["id", "enterprise_id", "question_id", "author", "text",
                                     "language"])
    return frame


def questions_without_finding(data: EnterpriseData) -> list[tuple[str, str]]:
    """(id, text) of each question with results that has no finding yet, in id order."""
    found = written(data)
    done = set(found.loc[found["text"].fillna("").str.strip() != "", "question_id"]) \
        if len(found) else set()
    texts = dict(zip(data.questions["id"], data.questions["text"], strict=False))
    return [(q, texts[q]) for q in questions_with_results(data) if q not in done]


def short(text: str, limit: int = 80) -> str:
    """A question as a next action names it: whole, or cut at a word with "…"."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return (cut or text[:limit - 1]) + "…"
