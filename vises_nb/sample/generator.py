"""A deterministic, fictional sample cohort shaped like the VISES tester enterprises.

68 enterprises (or any number: a federation of 500 keeps the 68's proportions of poles,
regions and steps, and one accompanier of its region for about six enterprises) across
the three poles and four regions, each at its own step, with
identity cards, impact chains, evaluative questions, indicators, a questionnaire and
answers in up to three waves (T0 entry, T1 exit, T2 +6 months) with attrition, missing
answers and effects of the size seen in practice. Same seed, same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vises_nb.method.catalogue import BY_CODE
from vises_nb.method.scales import points
from vises_nb.sample import content
from vises_nb.store import model as m
from vises_nb.store.store import Store

N_ENTERPRISES = 68
MAX_ENTERPRISES = 10_000  # `vises sample --enterprises`: a federation of federations
POLE_COUNTS = {"insertion": 27, "solidarite": 22, "autres": 19}
REGION_COUNTS = {"wallonia": 22, "brussels": 12, "flanders": 18, "hauts_de_france": 16}
# Share of enterprises that have reached each step, as in a cohort mid-way.
STEP_REACHED = {1: 14, 2: 20, 3: 34}
WAVE_DATES = {"T0": dt.date(2017, 9, 15), "T1": dt.date(2018, 6, 15), "T2": dt.date(2018, 12, 15)}
SUPPORTED = ("wellbeing_index", "self_confidence", "satisfaction", "recognition",
             "sense_of_purpose", "participation_decisions", "network_size", "positive_exit",
             "driving_licence", "services_known", "volunteer_hours")


@dataclass
class SampleCohort:
    """Everything generated, as validated model records, ready to store."""

    accompaniers: list[m.Accompanier] = field(default_factory=list)
    records: dict[type, list[Any]] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, record: Any) -> None:
        self.records.setdefault(type(record), []).append(record)

    def of(self, model: type) -> list[Any]:
        return self.records.get(model, [])


ACCOMPANIERS_PER_REGION = 3  # in the sample: 12 accompaniers for 68 enterprises


def scaled(counts: dict[str, int], total: int) -> dict[str, int]:
    """`counts` in proportion for `total` (largest remainders, ties in the counts' order):
    the same counts for the sample's own total, and every key kept when total allows."""
    whole = sum(counts.values())
    exact = {k: n * total / whole for k, n in counts.items()}
    shares = {k: int(v) for k, v in exact.items()}
    by_remainder = sorted(counts, key=lambda k: -(exact[k] - shares[k]))
    for k in by_remainder[:total - sum(shares.values())]:
        shares[k] += 1
    return shares


def accompaniers_per_region(region_counts: dict[str, int]) -> dict[str, int]:
    """Accompaniers of each region: 3 as in the sample, in proportion to the region's
    enterprises for another size (about one for six enterprises), at least one if any."""
    return {region: max(1, round(ACCOMPANIERS_PER_REGION * n / REGION_COUNTS[region]))
            if n else 0 for region, n in region_counts.items()}


def _spread(counts: dict[str, int], rng: random.Random) -> list[str]:
    values = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


def _language(region: str, rng: random.Random) -> str:
    if region == "flanders":
        return "nl"
    if region == "brussels":
        return "nl" if rng.random() < 0.35 else "fr"
    return "fr"


def generate(seed: int = 2018, enterprises: int = N_ENTERPRISES) -> SampleCohort:
    """Build the sample cohort in memory (no I/O): same seed and size, same cohort.

    `enterprises` other than 68 scales the poles, regions and steps in proportion (a
    federation); the 68 are the sample itself, unchanged. Ids are E01..E68, or zero-padded
    to the width of the largest (E001..E500) so that they sort in order.
    """
    if enterprises < 1:
        raise ValueError("enterprises must be at least 1")
    region_counts = scaled(REGION_COUNTS, enterprises)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    cohort = SampleCohort()

    accompaniers_by_region: dict[str, list[m.Accompanier]] = {}
    names = list(content.ACCOMPANIER_NAMES)
    rng.shuffle(names)
    index = 0
    width = max(2, len(str(sum(accompaniers_per_region(region_counts).values()))))
    for region, count in accompaniers_per_region(region_counts).items():
        for k in range(count):
            federation = content.ACCOMPANIER_FEDERATIONS[region][
                k % len(content.ACCOMPANIER_FEDERATIONS[region])]
            # past the list of names, the same names again with a number (not another person)
            name = names[index % len(names)]
            if index >= len(names):
                name = f"{name} ({index // len(names) + 1})"
            acc = m.Accompanier(
                id=f"A{index + 1:0{width}d}", name=name, federation=federation,
                language="nl" if region == "flanders" else "fr",
            )
            index += 1
            cohort.accompaniers.append(acc)
            accompaniers_by_region.setdefault(region, []).append(acc)

    poles = _spread(scaled(POLE_COUNTS, enterprises), rng)
    regions = _spread(region_counts, rng)
    steps = _spread(scaled({str(k): v for k, v in STEP_REACHED.items()}, enterprises), rng)
    used_names: set[str] = set()
    width = max(2, len(str(enterprises)))
    for i in range(enterprises):
        _enterprise(cohort, rng, nrng, f"E{i + 1:0{width}d}", poles[i], regions[i],
                    int(steps[i]), accompaniers_by_region[regions[i]], used_names)
    _findings(cohort, seed)
    return cohort


def _findings(cohort: SampleCohort, seed: int) -> None:
    """The accompanier's and the enterprise's written finding on each question of the
    enterprises at step 3. Drawn from their own generator, so adding them changed
    nothing else of the sample."""
    rng = random.Random(f"{seed}-findings")
    at_step3 = {s.enterprise_id for s in cohort.of(m.StepStatus)
                if s.step == "3" and s.status != "not_started"}
    languages = {e.id: e.language for e in cohort.of(m.Enterprise)}
    for question in cohort.of(m.EvaluativeQuestion):
        eid = question.enterprise_id
        if eid not in at_step3:
            continue
        lang = languages[eid]
        for author in ("accompanier", "enterprise"):
            cohort.add(m.QuestionFinding(
                id=f"{question.id}-F{author[0].upper()}", enterprise_id=eid,
                question_id=question.id, author=author, language=lang,
                text=rng.choice(content.FINDINGS[author][lang])))


GOVERNANCE = {
    "fr": ["Assemblée générale et conseil d'administration ouverts aux travailleurs",
           "Conseil d'administration multi-parties prenantes",
           "Une personne, une voix en assemblée générale des coopérateurs"],
    "nl": ["Algemene vergadering en raad van bestuur open voor werknemers",
           "Raad van bestuur met alle belanghebbenden",
           "Eén persoon, één stem in de algemene vergadering van coöperanten"],
}
FRENCH_LAW = ("loi 1901", "SCOP", "SCIC", "SAS")


def _legal_forms(forms: list[str], region: str) -> list[str]:
    """French legal forms for Hauts-de-France, Belgian ones elsewhere."""
    french = region == "hauts_de_france"
    kept = [f for f in forms if any(mark in f for mark in FRENCH_LAW) == french]
    return kept or (["Association loi 1901"] if french else ["ASBL"])


def _pick(rng: random.Random, values: list[Any], k: int) -> list[Any]:
    return rng.sample(values, min(k, len(values)))


def _enterprise(cohort: SampleCohort, rng: random.Random, nrng: np.random.Generator, eid: str,
                pole: str, region: str, step: int, accompaniers: list[m.Accompanier],
                used_names: set[str]) -> None:
    lang = _language(region, rng)
    accompanier = rng.choice(accompaniers)
    activity = rng.choice(content.ACTIVITY_TYPES[pole])
    name = ""
    for _ in range(50):
        stem = rng.choice(activity["name_stems"][lang])
        place = rng.choice(content.PLACE_NAMES[region])
        name = f"{stem} {place}" if rng.random() < 0.6 else stem
        if name not in used_names:
            break
    used_names.add(name)
    size = rng.choice(["small", "medium", "large"])
    fte = {"small": rng.uniform(2, 10), "medium": rng.uniform(10, 45),
           "large": rng.uniform(45, 180)}[size]
    cohort.add(m.Enterprise(
        id=eid, name=name, pole=pole, region=region, language=lang,
        accompanier_id=accompanier.id,
        legal_form=rng.choice(_legal_forms(activity["legal_forms"][lang], region)),
        sector=activity["sector"][lang],
        year_founded=rng.randint(1975, 2015),
        fte=round(fte, 1),
        integration_workers=round(fte * rng.uniform(0.4, 0.8)) if pole == "insertion" else 0,
        volunteers=rng.randint(0, 60),
        budget_eur=round(fte * rng.uniform(38_000, 62_000), -3),
        social_needs=rng.choice(content.SOCIAL_NEEDS[pole][lang]),
        aspirations=rng.choice(content.MISSIONS[pole][lang]),
        missions=rng.choice(content.MISSIONS[pole][lang]),
        means=f"{round(fte, 1)} ETP / VTE / FTE",
        activities=rng.choice(content.ACTIVITIES[pole][lang]),
        territory=rng.choice(content.PLACE_NAMES[region]),
        governance=rng.choice(GOVERNANCE[lang]),
        management="", production="", surplus_allocation="",
    ))
    today = dt.date(2019, 3, 1)
    for s in (1, 2, 3):
        status = "done" if s < step else ("in_progress" if s == step else "not_started")
        cohort.add(m.StepStatus(
            enterprise_id=eid, step=str(s), status=status,
            started_on=dt.date(2017, 1 + 4 * (s - 1), 10) if s <= step else None,
            completed_on=today if status == "done" else None,
        ))

    categories = ["workers", "people_supported", "clients", "funders", "volunteers",
                  "public_bodies", "suppliers", "territory"]
    for k, category in enumerate(_pick(rng, categories, rng.randint(3, 6))):
        involvement = ["informed", "consulted", "co_deciding"]
        cohort.add(m.Stakeholder(
            id=f"{eid}-S{k + 1}", enterprise_id=eid, category=category,
            involvement_step1=rng.choice(involvement),
            involvement_step2=rng.choice(involvement) if step >= 2 else None,
            involvement_step3=rng.choice(involvement) if step >= 3 else None,
        ))

    previous: list[str] = []
    for li, (level, elements) in enumerate(content.CHAIN_ELEMENTS[pole].items(), start=1):
        current = []
        for k, element in enumerate(_pick(rng, elements, rng.randint(2, 3))):
            cid = f"{eid}-C{li}{k + 1}"
            cohort.add(m.ChainElement(
                id=cid, enterprise_id=eid, level=level, label=element["label"][lang],
                dimensions=element["dimensions"], stakeholders=element["stakeholders"],
            ))
            current.append(cid)
        for k, target in enumerate(current):
            if previous:
                source = previous[k % len(previous)]
                cohort.add(m.ChainLink(id=f"{source}-{target.rsplit('-', 1)[1]}",
                                       enterprise_id=eid,
                                       source_id=source, target_id=target))
        previous = current

    n_questions = 1 if step == 1 and rng.random() < 0.5 else rng.randint(1, 3)
    questions = _pick(rng, content.EVALUATIVE_QUESTIONS[pole], n_questions)
    indicator_codes: list[str] = []
    for k, q in enumerate(questions):
        qid = f"{eid}-Q{k + 1}"
        methods = ["questionnaire"] + _pick(rng, ["interview", "focus_group", "life_story",
                                                   "observation", "administrative_data"], 1)
        cohort.add(m.EvaluativeQuestion(
            id=qid, enterprise_id=eid, text=q["text"][lang], purpose=q["purpose"],
            dimensions=q["dimensions"], stakeholders=q["stakeholders"],
            involvement=rng.choice(["informed", "consulted", "co_deciding"]), methods=methods,
        ))
        if step >= 2:
            for code in q["indicator_codes"]:
                if code in SUPPORTED and code not in indicator_codes:
                    indicator_codes.append(code)
                    _indicator(cohort, eid, qid, code, lang)
    if step >= 2:
        _collection(cohort, rng, nrng, eid, pole, lang, step, indicator_codes)

    for s in range(1, step + 1):
        for k in range(rng.randint(0, 2)):
            kind = rng.choice(["difficulty", "adaptation"])
            cohort.add(m.ResearchNote(
                id=f"{eid}-N{s}{k + 1}", enterprise_id=eid, step=str(s), kind=kind,
                text=rng.choice(content.RESEARCH_NOTES[str(s)][kind]),
                author=accompanier.name,
                date=dt.date(2017, 2 + 4 * (s - 1), rng.randint(1, 28)),
            ))


def _indicator(cohort: SampleCohort, eid: str, qid: str, code: str, lang: str) -> None:
    entry = BY_CODE[code]
    cohort.add(m.Indicator(
        id=f"{eid}-{code}", enterprise_id=eid, question_id=qid, code=code,
        name=entry.name[lang], level=entry.level, nature=entry.nature,
        dimension=entry.dimension, unit=entry.unit[lang], source=entry.source,
        breakdowns=["sex", "age_band"],
    ))


def _collection(cohort: SampleCohort, rng: random.Random, nrng: np.random.Generator, eid: str,
                pole: str, lang: str, step: int, codes: list[str]) -> None:
    """Questionnaire, waves, respondents and answers, with attrition and missing answers."""
    instrument_id = f"{eid}-QST"
    cohort.add(m.Instrument(id=instrument_id, enterprise_id=eid, method="questionnaire",
                            name={"fr": "Questionnaire", "nl": "Vragenlijst"}[lang]))
    items: list[tuple[str, str, Any]] = []
    for code in codes:
        for item in BY_CODE[code].items:
            iid = f"{eid}-{item.code}"
            cohort.add(m.Item(id=iid, enterprise_id=eid, instrument_id=instrument_id,
                              indicator_id=f"{eid}-{code}", code=item.code,
                              text=item.text[lang], scale=item.scale, reverse=item.reverse))
            items.append((iid, code, item))

    eligible = rng.randint(14, 48)
    waves = ["T0"] if step == 2 else (["T0", "T1", "T2"] if rng.random() < 0.6 else ["T0", "T1"])
    for w in waves:
        cohort.add(m.Wave(id=f"{eid}-{w}", enterprise_id=eid, code=w, date=WAVE_DATES[w],
                          eligible=eligible))

    # Latent change per person: most improve a little, some not at all, a few worsen.
    enterprise_effect = nrng.normal(0.35, 0.2)
    present = {"T0": rng.uniform(0.7, 0.95), "T1": rng.uniform(0.7, 0.9),
               "T2": rng.uniform(0.45, 0.75)}
    missing_rate = rng.uniform(0.01, 0.08)
    in_previous = True
    for r in range(eligible):
        rid = f"{eid}-R{r + 1:03d}"
        code = f"{rng.getrandbits(40):010X}"
        cohort.add(m.Respondent(
            id=rid, enterprise_id=eid, code=code,
            sex=rng.choices(["f", "m", "x"], [0.48, 0.48, 0.04])[0],
            age_band=rng.choices(["<25", "25-44", "45+"], [0.3, 0.45, 0.25])[0],
        ))
        baseline = nrng.normal(0, 1)
        change = nrng.normal(enterprise_effect, 0.6)
        licence = rng.random() < 0.15
        in_previous = True
        for t, w in enumerate(waves):
            # Attrition: once gone, a respondent does not come back.
            if not in_previous or rng.random() > present[w]:
                in_previous = False
                continue
            if w == "T2" and rng.random() < 0.25:
                licence = licence or rng.random() < 0.4
            elif w == "T1":
                licence = licence or rng.random() < 0.15
            level = baseline + change * min(t, 1) + (0.1 * change if t == 2 else 0)
            due = [entry for entry in items if w in BY_CODE[entry[1]].waves]
            # Item non-response, but a person present at a wave answers at least one item.
            kept = [entry for entry in due if rng.random() >= missing_rate] or due[:1]
            for iid, indicator_code, item in kept:
                value = _answer(nrng, item.scale, item.reverse, indicator_code, level, licence)
                cohort.responses.append({
                    "enterprise_id": eid, "respondent_id": rid, "wave_id": f"{eid}-{w}",
                    "item_id": iid, "value": value, "text": None,
                })

    verbatims = content.VERBATIMS
    for k in range(rng.randint(3, 8)):
        dimension = rng.choice(list(verbatims))
        indicator_id = None
        matching = [c for c in codes if BY_CODE[c].dimension == dimension]
        if matching:
            indicator_id = f"{eid}-{rng.choice(matching)}"
        cohort.add(m.Excerpt(
            id=f"{eid}-V{k + 1}", enterprise_id=eid, text=rng.choice(verbatims[dimension][lang]),
            dimension=dimension, language=lang, indicator_id=indicator_id,
            wave_code=rng.choice(waves), publishable=rng.random() < 0.7,
        ))


def _answer(nrng: np.random.Generator, scale: str, reverse: bool, code: str, level: float,
            licence: bool) -> float:
    """One answer from a person's latent level; ordered scales are cut from a normal."""
    if scale == "yes_no":
        if code == "driving_licence":
            return 1.0 if licence else 0.0
        return 1.0 if nrng.random() < 1 / (1 + np.exp(-(0.2 + 0.9 * level))) else 0.0
    if scale == "number":
        if code == "services_known":
            return float(np.clip(round(6 + 2.2 * level + nrng.normal(0, 2)), 0, 15))
        return float(max(0, round(nrng.gamma(2.0, 6.0) * (1 + 0.3 * level))))
    k = points(scale)
    noisy = level + nrng.normal(0, 0.8)
    # Agreement items lean positive (acquiescence); frequency of trouble leans low.
    centre = 3.6 if scale == "likert5" else (2.0 if scale == "frequency4" else 1.9)
    spread = 0.9 if scale == "likert5" else 0.7
    value = centre + spread * (-noisy if reverse else noisy)
    return float(np.clip(round(value), 1, k))


def store_cohort(cohort: SampleCohort, store: Store) -> dict[str, int]:
    """Write the whole cohort in one transaction; returns the number of rows per table."""
    counts: dict[str, int] = {}
    order = [m.Enterprise, m.StepStatus, m.Stakeholder, m.ChainElement, m.ChainLink,
             m.EvaluativeQuestion, m.Indicator, m.Instrument, m.Item, m.Wave, m.Respondent,
             m.Excerpt, m.ResearchNote, m.QuestionFinding]
    with store.transaction() as w:
        counts["accompaniers"] = w.insert_many(
            m.Accompanier, (a.model_dump() for a in cohort.accompaniers))
        for model in order:
            counts[model.__name__] = w.insert_many(
                model, (r.model_dump() for r in cohort.of(model)))
        counts["Response"] = w.insert_many(m.Response, iter(cohort.responses))
    return counts


def summary(cohort: SampleCohort) -> dict[str, Any]:
    """Counts a coordinator checks: enterprises per pole and region, responses per wave."""
    enterprises = cohort.of(m.Enterprise)
    waves = Counter(r["wave_id"].rsplit("-", 1)[1] for r in cohort.responses)
    return {
        "enterprises": len(enterprises),
        "poles": dict(Counter(e.pole for e in enterprises)),
        "regions": dict(Counter(e.region for e in enterprises)),
        "responses_per_wave": dict(sorted(waves.items())),
    }

