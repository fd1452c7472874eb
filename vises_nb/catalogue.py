"""The indicator catalogue: indicators enterprises pick from, with the items measuring them.

Each indicator says how its items become a result (`kind`), which fixes the statistic:
- "proportion": one yes/no item, shown as a share with its Wilson interval;
- "likert": one 5-point agreement item, ordinal: distribution, median, top-2-box;
- "ordinal": one ordered category item (e.g. network size), distribution and median;
- "score": several items summed into a score (e.g. physical well-being /20): mean;
- "number": one numeric answer (hours, counts): mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    text: dict[str, str]
    scale: str
    reverse: bool = False


@dataclass(frozen=True)
class CatalogueIndicator:
    code: str
    name: dict[str, str]
    definition: dict[str, str]
    kind: str
    level: str
    nature: str
    dimension: str
    unit: dict[str, str]
    source: str
    poles: tuple[str, ...]
    items: tuple[CatalogueItem, ...] = field(default_factory=tuple)
    score_range: tuple[float, float] | None = None
    waves: tuple[str, ...] = ("T0", "T1", "T2")


def _likert(code: str, name: dict[str, str], statement: dict[str, str], dimension: str,
            poles: tuple[str, ...], level: str = "outcome") -> CatalogueIndicator:
    return CatalogueIndicator(
        code=code, name=name,
        definition={
            "fr": f"Degré d'accord avec « {statement['fr']} » (1 = pas du tout, 5 = tout à fait).",
            "nl": f"Mate van akkoord met '{statement['nl']}' (1 = helemaal niet, 5 = helemaal).",
            "en": f"Agreement with '{statement['en']}' (1 = strongly disagree, 5 = strongly agree).",
        },
        kind="likert", level=level, nature="quantitative", dimension=dimension,
        unit={"fr": "échelle 1–5", "nl": "schaal 1–5", "en": "1–5 scale"},
        source="questionnaire", poles=poles,
        items=(CatalogueItem(code, statement, "likert5"),),
    )


ALL_POLES = ("insertion", "solidarite", "autres")

_WELLBEING_ITEMS = (
    ("wb_getting_up", {"fr": "Avez-vous eu du mal à vous lever le matin ?",
                       "nl": "Had u moeite om 's ochtends op te staan?",
                       "en": "Did you have trouble getting up in the morning?"}),
    ("wb_illness", {"fr": "Avez-vous été malade ?", "nl": "Was u ziek?",
                    "en": "Were you ill?"}),
    ("wb_pain", {"fr": "Avez-vous eu des douleurs ?", "nl": "Had u pijn?",
                 "en": "Were you in pain?"}),
    ("wb_sleep", {"fr": "Avez-vous eu du mal à dormir ?", "nl": "Had u moeite met slapen?",
                  "en": "Did you have trouble sleeping?"}),
    ("wb_fatigue", {"fr": "Avez-vous ressenti une fatigue inexpliquée ?",
                    "nl": "Voelde u zich onverklaarbaar moe?",
                    "en": "Did you feel unexplained fatigue?"}),
)

CATALOGUE: tuple[CatalogueIndicator, ...] = (
    CatalogueIndicator(
        code="wellbeing_index",
        name={"fr": "Indice de bien-être physique", "nl": "Index lichamelijk welzijn",
              "en": "Physical well-being index"},
        definition={
            "fr": "Somme de 5 items de fréquence sur le dernier mois (jamais = 4 … tous les "
                  "jours = 1), de 5 à 20 ; plus haut = mieux.",
            "nl": "Som van 5 frequentie-items over de laatste maand (nooit = 4 … elke dag = 1), "
                  "van 5 tot 20; hoger = beter.",
            "en": "Sum of 5 frequency items over the last month (never = 4 … every day = 1), "
                  "5 to 20; higher is better.",
        },
        kind="score", level="outcome", nature="quantitative", dimension="social",
        unit={"fr": "points /20", "nl": "punten /20", "en": "points /20"},
        source="questionnaire", poles=ALL_POLES,
        items=tuple(CatalogueItem(c, t, "frequency4", reverse=True) for c, t in _WELLBEING_ITEMS),
        score_range=(5, 20),
    ),
    _likert("self_confidence",
            {"fr": "Confiance en soi", "nl": "Zelfvertrouwen", "en": "Self-confidence"},
            {"fr": "J'ai confiance en mes capacités", "nl": "Ik heb vertrouwen in mijn kunnen",
             "en": "I trust my own abilities"}, "social", ("insertion", "solidarite")),
    _likert("satisfaction",
            {"fr": "Satisfaction", "nl": "Tevredenheid", "en": "Satisfaction"},
            {"fr": "Je suis satisfait·e de ce que l'entreprise m'apporte",
             "nl": "Ik ben tevreden over wat de onderneming mij biedt",
             "en": "I am satisfied with what the enterprise brings me"}, "social", ALL_POLES,
            level="output"),
    _likert("recognition",
            {"fr": "Reconnaissance", "nl": "Erkenning", "en": "Recognition"},
            {"fr": "Je me sens reconnu·e pour ce que je fais",
             "nl": "Ik voel me erkend voor wat ik doe",
             "en": "I feel recognised for what I do"}, "social", ALL_POLES),
    _likert("sense_of_purpose",
            {"fr": "Sens du travail", "nl": "Zingeving", "en": "Sense of purpose"},
            {"fr": "Ce que je fais ici a du sens pour moi",
             "nl": "Wat ik hier doe is zinvol voor mij",
             "en": "What I do here is meaningful to me"}, "social", ALL_POLES),
    _likert("participation_decisions",
            {"fr": "Participation aux décisions", "nl": "Inspraak in beslissingen",
             "en": "Participation in decisions"},
            {"fr": "Je peux donner mon avis sur les décisions qui me concernent",
             "nl": "Ik kan mijn mening geven over beslissingen die mij aangaan",
             "en": "I can give my opinion on decisions that concern me"}, "political", ALL_POLES,
            level="practice"),
    CatalogueIndicator(
        code="network_size",
        name={"fr": "Taille du réseau personnel", "nl": "Grootte van het persoonlijk netwerk",
              "en": "Size of personal network"},
        definition={"fr": "Nombre de personnes sur qui compter : < 6, 6–10, > 10.",
                    "nl": "Aantal mensen op wie men kan rekenen: < 6, 6–10, > 10.",
                    "en": "Number of people one can count on: < 6, 6–10, > 10."},
        kind="ordinal", level="outcome", nature="quantitative", dimension="territorial",
        unit={"fr": "catégorie", "nl": "categorie", "en": "category"},
        source="questionnaire", poles=ALL_POLES,
        items=(CatalogueItem("network_size", {
            "fr": "Sur combien de personnes pouvez-vous compter ?",
            "nl": "Op hoeveel mensen kunt u rekenen?",
            "en": "How many people can you count on?"}, "network3"),),
    ),
    CatalogueIndicator(
        code="positive_exit",
        name={"fr": "Sortie positive à 6 mois", "nl": "Positieve uitstroom na 6 maanden",
              "en": "Positive exit at 6 months"},
        definition={"fr": "Emploi ou formation qualifiante six mois après la sortie.",
                    "nl": "Werk of kwalificerende opleiding zes maanden na uitstroom.",
                    "en": "In a job or qualifying training six months after exit."},
        kind="proportion", level="outcome", nature="quantitative", dimension="economic",
        unit={"fr": "% des personnes", "nl": "% van de personen", "en": "% of people"},
        source="questionnaire", poles=("insertion",),
        items=(CatalogueItem("positive_exit", {
            "fr": "Êtes-vous en emploi ou en formation ?", "nl": "Werkt u of volgt u een opleiding?",
            "en": "Are you in a job or in training?"}, "yes_no"),),
        waves=("T2",),
    ),
    CatalogueIndicator(
        code="driving_licence",
        name={"fr": "Permis de conduire", "nl": "Rijbewijs", "en": "Driving licence"},
        definition={"fr": "Part des personnes titulaires du permis B.",
                    "nl": "Aandeel personen met rijbewijs B.",
                    "en": "Share of people holding a car driving licence."},
        kind="proportion", level="output", nature="quantitative", dimension="economic",
        unit={"fr": "% des personnes", "nl": "% van de personen", "en": "% of people"},
        source="questionnaire", poles=("insertion",),
        items=(CatalogueItem("driving_licence", {
            "fr": "Avez-vous le permis de conduire ?", "nl": "Heeft u een rijbewijs?",
            "en": "Do you hold a driving licence?"}, "yes_no"),),
    ),
    CatalogueIndicator(
        code="services_known",
        name={"fr": "Services publics et sociaux connus", "nl": "Gekende openbare en sociale diensten",
              "en": "Public and social services known"},
        definition={"fr": "Nombre de services (sur 15) que la personne connaît ou utilise.",
                    "nl": "Aantal diensten (op 15) die de persoon kent of gebruikt.",
                    "en": "Number of services (out of 15) the person knows or uses."},
        kind="number", level="outcome", nature="quantitative", dimension="territorial",
        unit={"fr": "services /15", "nl": "diensten /15", "en": "services /15"},
        source="questionnaire", poles=("insertion", "solidarite"),
        items=(CatalogueItem("services_known", {
            "fr": "Combien de ces 15 services connaissez-vous ?",
            "nl": "Hoeveel van deze 15 diensten kent u?",
            "en": "How many of these 15 services do you know?"}, "number"),),
        score_range=(0, 15),
    ),
    CatalogueIndicator(
        code="volunteer_hours",
        name={"fr": "Heures de bénévolat", "nl": "Vrijwilligersuren", "en": "Volunteer hours"},
        definition={"fr": "Heures de bénévolat prestées le mois dernier.",
                    "nl": "Gepresteerde vrijwilligersuren vorige maand.",
                    "en": "Volunteer hours given last month."},
        kind="number", level="output", nature="quantitative", dimension="territorial",
        unit={"fr": "heures / mois", "nl": "uren / maand", "en": "hours / month"},
        source="questionnaire", poles=("autres", "solidarite"),
        items=(CatalogueItem("volunteer_hours", {
            "fr": "Combien d'heures de bénévolat le mois dernier ?",
            "nl": "Hoeveel vrijwilligersuren vorige maand?",
            "en": "How many volunteer hours last month?"}, "number"),),
        score_range=(0, 200),
    ),
)

BY_CODE: dict[str, CatalogueIndicator] = {c.code: c for c in CATALOGUE}
