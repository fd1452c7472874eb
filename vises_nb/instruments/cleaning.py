"""The cleaning log: correct a mistyped respondent code, exclude a submission, correct an
answer — each a recorded, reversible action on top of the imported data.

Respondents are named as they were typed (the code is turned into its pseudonym here
and never stored) or by their pseudonymous id (`E09-P…`, as shown in step 2). Every
action records who, when, why, before and after; `undo` marks it undone. The imported
answers are never edited: `vises_nb.store.cleaning.apply_cleaning` replays the log when
data is loaded. A code of another enterprise is refused (codes are never merged
across enterprises). Every refusal is a ValidationError and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pandas as pd

from vises_nb.errors import Joined, Message, ValidationError
from vises_nb.instruments.importing.pseudonyms import cohort_secret, pseudonym
from vises_nb.instruments.importing.values import comparable, parse_number
from vises_nb.method.scales import SCALES
from vises_nb.method.vocabulary import WAVES
from vises_nb.store import model as m
from vises_nb.store.cleaning import active, apply_cleaning
from vises_nb.store.store import Store

PSEUDONYM_ID = re.compile(r"^(?P<enterprise>[A-Za-z0-9_.-]+)-P[0-9a-f]{16}$")


def respondent_id(store: Store, enterprise_id: str, who: str) -> str:
    """The pseudonymous id of a respondent given as typed or as an id; another
    enterprise's id is refused."""
    who = who.strip()
    if not who:
        raise ValidationError("err.clean.no_respondent")
    match = PSEUDONYM_ID.match(who)
    if match:
        if match.group("enterprise") != enterprise_id:
            raise ValidationError("err.clean.other_enterprise", respondent=who,
                                  enterprise=enterprise_id, other=match.group("enterprise"))
        return who
    return f"{enterprise_id}-P{pseudonym(cohort_secret(store), who)[:16]}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _wave_id(store: Store, enterprise_id: str, wave: str) -> str:
    store.require_enterprise(enterprise_id)
    if wave not in WAVES:
        raise ValidationError("err.import.wave", wave=wave, waves=list(WAVES.codes))
    return f"{enterprise_id}-{wave}"


def current_responses(store: Store, enterprise_id: str) -> pd.DataFrame:
    """The enterprise's answers as analysed: imported, with the cleaning log applied."""
    return apply_cleaning(store.frame("responses", enterprise_id),
                          store.frame("cleaning_actions", enterprise_id),
                          store.frame("items", enterprise_id))


def _submission(store: Store, enterprise_id: str, wave_id: str, person: str, shown: str,
                wave: str) -> pd.DataFrame:
    responses = current_responses(store, enterprise_id)
    own = responses[(responses["wave_id"] == wave_id) & (responses["respondent_id"] == person)]
    if own.empty:
        raise ValidationError("err.clean.no_submission", respondent=shown, wave=wave,
                              enterprise=enterprise_id)
    return own


def _record(store: Store, action: dict) -> m.CleaningAction:
    record = m.CleaningAction(id=f"CL-{uuid.uuid4().hex[:12]}", created_at=_now(), **action)
    store.save(record)
    return record


def _check_text(author: str, reason: str) -> None:
    if not author.strip():
        raise ValidationError("err.clean.no_author")
    if not reason.strip():
        raise ValidationError("err.clean.no_reason")


def recode_respondent(store: Store, enterprise_id: str, wave: str, wrong: str, right: str,
                      author: str, reason: str) -> m.CleaningAction:
    """The submission typed with code `wrong` at `wave` belongs to respondent `right`."""
    _check_text(author, reason)
    wave_id = _wave_id(store, enterprise_id, wave)
    source = respondent_id(store, enterprise_id, wrong)
    target = respondent_id(store, enterprise_id, right)
    if source == target:
        raise ValidationError("err.clean.same_code")
    _submission(store, enterprise_id, wave_id, source, wrong, wave)
    responses = current_responses(store, enterprise_id)
    if ((responses["wave_id"] == wave_id) & (responses["respondent_id"] == target)).any():
        raise ValidationError("err.clean.code_taken", wave=wave, enterprise=enterprise_id)
    return _record(store, {"enterprise_id": enterprise_id, "kind": "recode",
                           "wave_id": wave_id, "respondent_id": source, "before": source,
                           "after": target, "reason": reason, "author": author})


def exclude_submission(store: Store, enterprise_id: str, wave: str, respondent: str,
                       author: str, reason: str) -> m.CleaningAction:
    """Leave one respondent's submission at `wave` out of every analysis (a test, a
    duplicate...)."""
    _check_text(author, reason)
    wave_id = _wave_id(store, enterprise_id, wave)
    person = respondent_id(store, enterprise_id, respondent)
    own = _submission(store, enterprise_id, wave_id, person, respondent, wave)
    return _record(store, {"enterprise_id": enterprise_id, "kind": "exclude",
                           "wave_id": wave_id, "respondent_id": person,
                           "before": f"{len(own)}", "after": None, "reason": reason,
                           "author": author})


def _new_value(store: Store, item: m.Item, value: str) -> str:
    """The stored form of a corrected answer: a choice name or label of the item's own
    scale becomes its code; numbers stay numbers; free text stays text."""
    text = value.strip()
    if item.scale == "text":
        return text
    if text == "":
        return ""
    if item.scale_id:
        options = store.list(m.ScaleOption, scale_id=item.scale_id)
        for option in options:
            names = [option.name, *option.labels.values()]
            if any(n.casefold() == text.casefold() for n in names):
                return str(option.value)
        if item.scale != "number":
            raise ValidationError("err.clean.bad_value", value=value, item=item.code,
                                  expected=", ".join(o.name for o in options))
    if item.scale in SCALES:  # a catalogue scale: one of its codes, or an answer's label
        answers = SCALES[item.scale]
        for code, labels in answers.items():
            if text == str(code) or comparable(text) in {comparable(x) for x in
                                                         labels.values()}:
                return str(float(code))
        raise ValidationError("err.clean.bad_value", value=value, item=item.code,
                              expected=Joined([Message("clean.code_label", code=code,
                                                       label=labels)
                                               for code, labels in answers.items()], ", "))
    try:  # a number as an import reads one (3,5 and 1 234,5; never nan nor inf)
        return str(parse_number(text))
    except ValueError:
        raise ValidationError("err.clean.bad_value", value=value, item=item.code,
                              expected=Message("err.value.expect_number")) from None


def correct_answer(store: Store, enterprise_id: str, wave: str, respondent: str,
                   item_code: str, value: str, author: str, reason: str) -> m.CleaningAction:
    """Replace one answer (the imported one stays in the store, under the log)."""
    _check_text(author, reason)
    wave_id = _wave_id(store, enterprise_id, wave)
    person = respondent_id(store, enterprise_id, respondent)
    items = store.list(m.Item, enterprise_id=enterprise_id)
    item = next((i for i in items if i.code == item_code or i.id == item_code), None)
    if item is None:
        raise ValidationError("err.link.unknown_item", item=item_code,
                              known=", ".join(i.code for i in items[:15]) or "-")
    own = _submission(store, enterprise_id, wave_id, person, respondent, wave)
    answer = own[own["item_id"] == item.id]
    if answer.empty:
        raise ValidationError("err.clean.no_answer", item=item.code, wave=wave)
    row = answer.iloc[0]
    before = row["text"] if item.scale == "text" else (
        "" if pd.isna(row["value"]) else str(float(row["value"])))
    return _record(store, {"enterprise_id": enterprise_id, "kind": "correct",
                           "wave_id": wave_id, "respondent_id": person, "item_id": item.id,
                           "before": before, "after": _new_value(store, item, value),
                           "reason": reason, "author": author})


def undo(store: Store, action_id: str, author: str) -> m.CleaningAction:
    """Mark an action undone: it no longer applies (it stays in the log)."""
    if not author.strip():
        raise ValidationError("err.clean.no_author")
    try:
        action, revision = store.get(m.CleaningAction, action_id)
    except Exception:  # noqa: BLE001 - NotFoundError: say so in the log's own words
        raise ValidationError("err.clean.unknown_action", action=action_id) from None
    if action.undone_at is not None:
        raise ValidationError("err.clean.already_undone", action=action_id)
    undone = action.model_copy(update={"undone_at": _now(), "undone_by": author})
    store.save(undone, revision)
    return undone


def cleaning_log(store: Store, enterprise_id: str) -> pd.DataFrame:
    """Every action of the enterprise's log, oldest first (undone ones included)."""
    log = store.frame("cleaning_actions", enterprise_id)
    return log.sort_values(["created_at", "id"], kind="stable").reset_index(drop=True)


__all__ = ["active", "cleaning_log", "correct_answer", "exclude_submission",
           "recode_respondent", "respondent_id", "undo"]
