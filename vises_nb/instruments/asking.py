"""How vises asks an item: the one rule that turns an item's answer scale into a question.

Every questionnaire vises writes or reads back for an enterprise (the XLSForm for
KoboToolbox/ODK, the LimeSurvey structure made from it, the form an export is read
against when no form is given) asks an item as `how_asked` says:

- an item on the enterprise's OWN scale (`Item.scale_id`: a choice list of its own
  questionnaire, stored as `AnswerScale` + `ScaleOption`) is a `select_one` of that
  scale's options, in their order, named as the scale names them (so an answer comes
  back as the option the scale codes). Each option is labelled in every language of the
  form: its own label in that language, else its label in the scale's first language,
  else its name (`method.scales.own_label`, the rule step 3 labels it by; the item's own
  question text is likewise shown in the enterprise's language in every column). An own
  scale with exactly a catalogue scale's codes and values (a select_multiple's
  ticked = 1 / not ticked = 0) is asked as that catalogue scale, labelled by the catalogue;
- an item on a catalogue scale (likert5, frequency4, yes_no, network3): `select_one` of
  that scale, labelled by the catalogue;
- a number: `decimal`; free text, or an own scale whose options are not stored: `text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from vises_nb.i18n import available_languages
from vises_nb.instruments.forms import WAVE_FIELD, Choice
from vises_nb.method.scales import SCALES, own_label
from vises_nb.store import model as m
from vises_nb.store.store import Store


@dataclass(frozen=True)
class Asked:
    """An item as a question: its XLSForm base type, choice list name and choices."""

    type: str  # select_one | decimal | text
    list_name: str | None = None
    choices: tuple[Choice, ...] = ()  # the list's choices; labels per language

    @property
    def xlsform_type(self) -> str:
        return f"{self.type} {self.list_name}" if self.list_name else self.type


def list_name(scale_id: str) -> str:
    """The choice list name of an own scale in a generated form: its id, made a valid XML
    name that no catalogue scale nor the wave list uses."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", scale_id)
    if not re.match(r"[A-Za-z_]", name) or name in SCALES or name == WAVE_FIELD:
        name = "s_" + name
    return name


def catalogue_choices(scale: str) -> tuple[Choice, ...]:
    return tuple(Choice(str(code), {lang: labels[lang] for lang in available_languages()})
                 for code, labels in SCALES[scale].items())


def _catalogue_twin(options: list[m.ScaleOption]) -> str | None:
    """The catalogue scale with exactly these option names and values, if any."""
    coded = {o.name: float(o.value) for o in options}
    for scale, points in SCALES.items():
        if coded == {str(code): float(code) for code in points}:
            return scale
    return None


def how_asked(item: m.Item, options: Iterable[m.ScaleOption] = ()) -> Asked:
    """The question that asks `item` (see module doc); `options` are its own scale's."""
    own = sorted((o for o in options if o.scale_id == item.scale_id), key=lambda o: o.position)
    if item.scale_id and own:
        twin = _catalogue_twin(own)
        if twin is not None:
            return Asked("select_one", twin, catalogue_choices(twin))
        choices = tuple(Choice(o.name, {**o.labels, **{
            lang: own_label(o.labels, lang, o.name) for lang in available_languages()}})
            for o in own)
        return Asked("select_one", list_name(item.scale_id), choices)
    if item.scale in SCALES:
        return Asked("select_one", item.scale, catalogue_choices(item.scale))
    if item.scale == "number":
        return Asked("decimal")
    return Asked("text")


def own_options(store: Store, enterprise_id: str) -> dict[str, list[m.ScaleOption]]:
    """The options of the enterprise's own scales, by scale id, in their order."""
    by_scale: dict[str, list[m.ScaleOption]] = {}
    for option in store.list(m.ScaleOption, enterprise_id=enterprise_id):
        by_scale.setdefault(option.scale_id, []).append(option)
    for options in by_scale.values():
        options.sort(key=lambda o: o.position)
    return by_scale
