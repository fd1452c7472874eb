"""Read an XForm (the XML that ODK Central serves, e.g. `FloraQuadrat04.xml`) as a `Form`.

ODK Central hands out the converted XForm rather than the XLSForm, so an accompanier
may only have that: its binds give the types, its body the labels, groups, repeats and
choices, its itext the translations.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from vises_nb.instruments.forms import Choice, Form, FormError, Question, language_of

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
JR = "{http://openrosa.org/javarosa}"
BIND_TYPES = {"string": "text", "int": "integer", "integer": "integer", "decimal": "decimal",
              "select1": "select_one", "select": "select_multiple", "date": "date",
              "dateTime": "datetime", "time": "time", "geopoint": "geopoint",
              "geotrace": "geotrace", "geoshape": "geoshape", "binary": "image",
              "barcode": "barcode", "boolean": "acknowledge"}
PRELOADS = {("timestamp", "start"): "start", ("timestamp", "end"): "end",
            ("date", "today"): "today", ("property", "deviceid"): "deviceid",
            ("property", "username"): "username", ("property", "email"): "email",
            ("property", "phonenumber"): "phonenumber"}
CONTROLS = {"input", "select1", "select", "upload", "range", "trigger", "rank"}


def read_xform(path: str | Path) -> Form:
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise FormError("err.form.unreadable_xform", file=path.name, detail=exc) from None
    model = root.find(f"{H}head/{XF}model")
    if model is None:
        raise FormError("err.form.no_model", file=path.name)
    instance = model.find(f"{XF}instance")
    data = next(iter(instance)) if instance is not None and len(instance) else None
    if data is None:
        raise FormError("err.form.no_instance", file=path.name)
    texts: dict[str, dict[str, str]] = {}  # itext id -> {lang: text}
    languages = []
    for translation in model.iter(f"{XF}translation"):
        lang = language_of("x::" + translation.get("lang", "")) or "default"
        languages.append(lang)
        for text in translation.iter(f"{XF}text"):
            value = text.find(f"{XF}value")
            if value is not None:
                texts.setdefault(text.get("id", ""), {})[lang] = "".join(value.itertext())
    binds = {b.get("nodeset", ""): b for b in model.iter(f"{XF}bind")}
    root_name = "/" + data.tag.split("}")[-1]
    questions: list[Question] = []
    choices: dict[str, list[Choice]] = {}
    groups: dict[str, dict[str, str]] = {}
    seen: set[str] = set()

    def labels_of(element: ET.Element) -> dict[str, str]:
        label = element.find(f"{XF}label")
        if label is None:
            return {}
        ref = label.get("ref", "")
        if ref.startswith("jr:itext("):
            return dict(texts.get(ref[len("jr:itext("):-1].strip("'\""), {}))
        return {"default": "".join(label.itertext()).strip()}

    def add(nodeset: str, element: ET.Element | None, repeats: list[str], row: int) -> None:
        parts = nodeset.removeprefix(root_name).strip("/").split("/")
        if not parts[-1] or parts[0] == "meta" or nodeset in seen:
            return
        seen.add(nodeset)
        bind = binds.get(nodeset)
        kind = BIND_TYPES.get((bind.get("type") if bind is not None else "") or "string", "text")
        if bind is not None:
            preload = (bind.get(f"{JR}preload"), bind.get(f"{JR}preloadParams"))
            kind = PRELOADS.get(preload, kind)
            if bind.get("calculate") and element is None:
                kind = "calculate"
        list_name = None
        if element is not None and kind in ("select_one", "select_multiple"):
            list_name = nodeset
            choices[list_name] = [
                Choice(("".join(item.findtext(f"{XF}value") or "")).strip(), labels_of(item))
                for item in element.iter(f"{XF}item")]
        required = bind is not None and bind.get("required", "") in ("true()", "true")
        questions.append(Question(parts[-1], kind, list_name,
                                  labels_of(element) if element is not None else {},
                                  tuple(parts[:-1]), repeats[-1] if repeats else None,
                                  required, row))

    def walk(element: ET.Element, repeats: list[str]) -> None:
        for child in element:
            tag = child.tag.split("}")[-1]
            if tag == "repeat":
                name = child.get("nodeset", "").rstrip("/").split("/")[-1]
                walk(child, [*repeats, name])
            elif tag == "group":
                ref = child.get("ref")
                if ref:
                    groups[ref.rstrip("/").split("/")[-1]] = labels_of(child)
                walk(child, repeats)
            elif tag in CONTROLS and child.get("ref"):
                add(child.get("ref", ""), child, repeats, len(questions) + 1)

    body = root.find(f"{H}body")
    if body is not None:
        walk(body, [])
    for nodeset in binds:  # calculates and preloads have no control in the body
        add(nodeset, None, [], len(questions) + 1)
    title = root.findtext(f"{H}head/{H}title") or path.stem
    return Form(file=path.name, form_id=data.get("id", title), version=data.get("version", ""),
                default_language=None, languages=sorted(set(languages) - {"default"}),
                questions=questions, choices=choices, groups=groups)
