"""The deterministic sample cohort: shape, determinism, waves and attrition."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict

from vises_nb.sample.generator import POLE_COUNTS, REGION_COUNTS, generate
from vises_nb.store import model as m


def fingerprint(cohort) -> str:
    digest = hashlib.sha256()
    for model in sorted(cohort.records, key=lambda t: t.__name__):
        for record in cohort.of(model):
            digest.update(record.model_dump_json().encode())
    digest.update(json.dumps(cohort.responses, sort_keys=True).encode())
    return digest.hexdigest()


def test_same_seed_same_cohort_other_seed_other_cohort(sample_cohort):
    assert fingerprint(generate(2018)) == fingerprint(sample_cohort)
    assert fingerprint(generate(7)) != fingerprint(sample_cohort)


def test_counts_per_pole_and_region(sample_cohort):
    enterprises = sample_cohort.of(m.Enterprise)
    assert len(enterprises) == 68
    assert Counter(e.pole for e in enterprises) == Counter(POLE_COUNTS)
    assert Counter(e.region for e in enterprises) == Counter(REGION_COUNTS)
    by_pair = Counter((e.pole, e.region) for e in enterprises)
    assert len(by_pair) == 12, "every pole appears in every region"


def test_language_follows_the_region(sample_cohort):
    for e in sample_cohort.of(m.Enterprise):
        if e.region == "flanders":
            assert e.language == "nl"
        elif e.region in ("wallonia", "hauts_de_france"):
            assert e.language == "fr"
    brussels = {e.language for e in sample_cohort.of(m.Enterprise) if e.region == "brussels"}
    assert brussels == {"fr", "nl"}


def test_every_enterprise_has_a_complete_step1(sample_cohort):
    for model in (m.ChainElement, m.EvaluativeQuestion, m.Stakeholder, m.StepStatus):
        owners = {r.enterprise_id for r in sample_cohort.of(model)}
        assert len(owners) == 68, model.__name__
    levels = defaultdict(set)
    for element in sample_cohort.of(m.ChainElement):
        levels[element.enterprise_id].add(element.level)
    assert all(len(v) == 5 for v in levels.values())
    questions = Counter(q.enterprise_id for q in sample_cohort.of(m.EvaluativeQuestion))
    assert set(questions.values()) <= {1, 2, 3}


def test_enterprises_stand_at_different_steps(sample_cohort):
    current = {}
    for status in sample_cohort.of(m.StepStatus):
        if status.status != "not_started":
            current[status.enterprise_id] = max(current.get(status.enterprise_id, 0),
                                                int(status.step))
    assert Counter(current.values()) == Counter({1: 14, 2: 20, 3: 34})


def test_waves_attrition_and_missing_answers(sample_cohort):
    people = defaultdict(set)
    for r in sample_cohort.responses:
        people[r["wave_id"]].add(r["respondent_id"])
    followed = {k.rsplit("-", 1)[0] for k in people if k.endswith("-T2")}
    t0, t1, t2 = (sum(len(people[f"{e}-{w}"]) for e in followed) for w in ("T0", "T1", "T2"))
    assert t0 > t1 > t2 > 0
    assert 0.55 < t1 / t0 < 0.95, "realistic attrition between entry and exit"
    assert 0.3 < t2 / t1 < 0.9, "more attrition six months after exit"
    # Nobody skips a wave and comes back: later waves are subsets of earlier ones.
    for wave_id, respondents in people.items():
        eid, code = wave_id.rsplit("-", 1)
        if code != "T0":
            earlier = people[f"{eid}-{'T0' if code == 'T1' else 'T1'}"]
            assert respondents <= earlier, wave_id
    # Some answers are missing: not every respondent answered every item of the wave.
    items = defaultdict(set)
    for item in sample_cohort.of(m.Item):
        items[item.enterprise_id].add(item.id)
    answered = Counter((r["wave_id"], r["respondent_id"]) for r in sample_cohort.responses)
    gaps = sum(1 for (wave_id, _), n in answered.items()
               if n < len(items[wave_id.rsplit("-", 1)[0]]))
    assert gaps > 0


def test_well_being_improves_on_average_but_not_for_everyone(sample_cohort):
    items = {i.id: i for i in sample_cohort.of(m.Item) if i.code.startswith("wb_")}
    scores = defaultdict(float)
    counts = Counter()
    for r in sample_cohort.responses:
        if r["item_id"] in items:
            wave = r["wave_id"].rsplit("-", 1)[1]
            key = (r["respondent_id"], wave)
            scores[key] += 5 - r["value"]
            counts[key] += 1
    complete = {k: v for k, v in scores.items() if counts[k] == 5}
    changes = [complete[(p, "T1")] - complete[(p, "T0")]
               for (p, w) in complete if w == "T0" and (p, "T1") in complete]
    assert len(changes) > 100
    mean = sum(changes) / len(changes)
    assert 0.3 < mean < 3.0, mean
    assert sum(c < 0 for c in changes) > len(changes) * 0.1


def test_verbatims_are_in_the_enterprise_language(sample_cohort):
    language = {e.id: e.language for e in sample_cohort.of(m.Enterprise)}
    excerpts = sample_cohort.of(m.Excerpt)
    assert excerpts and all(x.language == language[x.enterprise_id] for x in excerpts)
    assert {x.publishable for x in excerpts} == {True, False}
