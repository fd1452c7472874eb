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

from vises_nb.i18n import Labels


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    text: dict[str, str]
    scale: str
    reverse: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", Labels(self.text, f"item.{self.code}.text"))


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
    #: which way is better: "higher_better" (well-being, a job) or "lower_better"
    #: (loneliness): the direction of a change is read from its effect size and this.
    polarity: str = "higher_better"

    def __post_init__(self) -> None:
        for name in ("name", "definition", "unit"):
            object.__setattr__(self, name, Labels(getattr(self, name),
                                                  f"indicator.{self.code}.{name}"))


def _likert(code: str, name: dict[str, str], statement: dict[str, str], dimension: str,
            poles: tuple[str, ...], level: str = "outcome",
            polarity: str = "higher_better") -> CatalogueIndicator:
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
        items=(CatalogueItem(code, statement, "likert5"),), polarity=polarity,
    )


def _yes_no(code: str, name: dict[str, str], question: dict[str, str],
            definition: dict[str, str], dimension: str, poles: tuple[str, ...],
            level: str = "outcome", source: str = "questionnaire") -> CatalogueIndicator:
    return CatalogueIndicator(
        code=code, name=name, definition=definition, kind="proportion", level=level,
        nature="quantitative", dimension=dimension,
        unit={"fr": "% des personnes", "nl": "% van de personen", "en": "% of people"},
        source=source, poles=poles, items=(CatalogueItem(code, question, "yes_no"),),
    )


def _amount(code: str, name: dict[str, str], question: dict[str, str],
            definition: dict[str, str], unit: dict[str, str], dimension: str,
            poles: tuple[str, ...], level: str = "output", source: str = "administrative_data",
            score_range: tuple[float, float] | None = None) -> CatalogueIndicator:
    return CatalogueIndicator(
        code=code, name=name, definition=definition, kind="number", level=level,
        nature="quantitative", dimension=dimension, unit=unit, source=source, poles=poles,
        items=(CatalogueItem(code, question, "number"),), score_range=score_range,
        waves=("T0", "T1", "T2"),
    )


ALL_POLES = ("insertion", "solidarite", "autres")
INSERTION = ("insertion",)
SOLIDARITE = ("solidarite",)
AUTRES = ("autres",)

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

_EMOTION_ITEMS = (
    ("emo_joy", False, {"fr": "Avez-vous ressenti de la joie ?", "nl": "Voelde u vreugde?",
                        "en": "Did you feel joy?"}),
    ("emo_fear", True, {"fr": "Avez-vous ressenti de la peur ?", "nl": "Voelde u angst?",
                        "en": "Did you feel fear?"}),
    ("emo_sadness", True, {"fr": "Avez-vous ressenti de la tristesse ?",
                           "nl": "Voelde u verdriet?", "en": "Did you feel sadness?"}),
    ("emo_anger", True, {"fr": "Avez-vous ressenti de la colère ?", "nl": "Voelde u woede?",
                         "en": "Did you feel anger?"}),
)

EXTENDED: tuple[CatalogueIndicator, ...] = (
    # ------------------------------------------------------------------ all poles
    CatalogueIndicator(
        code="emotional_balance",
        name={"fr": "Équilibre émotionnel", "nl": "Emotioneel evenwicht",
              "en": "Emotional balance"},
        definition={
            "fr": "Somme de 4 items de fréquence sur le dernier mois (joie ; peur, tristesse et "
                  "colère inversées), de 4 à 16 ; plus haut = mieux.",
            "nl": "Som van 4 frequentie-items over de laatste maand (vreugde; angst, verdriet en "
                  "woede omgekeerd), van 4 tot 16; hoger = beter.",
            "en": "Sum of 4 frequency items over the last month (joy; fear, sadness and anger "
                  "reversed), 4 to 16; higher is better.",
        },
        kind="score", level="outcome", nature="quantitative", dimension="social",
        unit={"fr": "points /16", "nl": "punten /16", "en": "points /16"},
        source="questionnaire", poles=ALL_POLES,
        items=tuple(CatalogueItem(c, t, "frequency4", reverse=r) for c, r, t in _EMOTION_ITEMS),
        score_range=(4, 16),
    ),
    _likert("social_ties",
            {"fr": "Nouveaux liens sociaux", "nl": "Nieuwe sociale contacten", "en": "New social ties"},
            {"fr": "J'ai rencontré de nouvelles personnes grâce à l'entreprise",
             "nl": "Ik heb dankzij de onderneming nieuwe mensen leren kennen",
             "en": "I have met new people thanks to the enterprise"}, "territorial", ALL_POLES),
    _likert("training_access",
            {"fr": "Accès à la formation", "nl": "Toegang tot opleiding", "en": "Access to training"},
            {"fr": "J'ai accès aux formations dont j'ai besoin",
             "nl": "Ik heb toegang tot de opleidingen die ik nodig heb",
             "en": "I have access to the training I need"}, "social", ALL_POLES, level="practice"),
    _likert("local_anchoring",
            {"fr": "Ancrage local", "nl": "Lokale verankering", "en": "Local anchoring"},
            {"fr": "L'entreprise participe à la vie de mon quartier ou de ma commune",
             "nl": "De onderneming neemt deel aan het leven in mijn buurt of gemeente",
             "en": "The enterprise takes part in the life of my neighbourhood or town"},
            "territorial", ALL_POLES, level="impact"),
    _amount("wage_ratio",
            {"fr": "Écart salarial", "nl": "Loonspanning", "en": "Wage ratio"},
            {"fr": "Rapport entre le salaire le plus élevé et le plus bas",
             "nl": "Verhouding tussen het hoogste en het laagste loon",
             "en": "Ratio of the highest to the lowest wage"},
            {"fr": "Salaire brut le plus élevé divisé par le plus bas (équivalent temps plein).",
             "nl": "Hoogste brutoloon gedeeld door het laagste (voltijds equivalent).",
             "en": "Highest gross wage divided by the lowest (full-time equivalent)."},
            {"fr": "rapport", "nl": "verhouding", "en": "ratio"}, "economic", ALL_POLES,
            level="practice", score_range=(1, 20)),
    # ------------------------------------------------------------------ insertion
    _likert("work_skills",
            {"fr": "Savoir-faire professionnels", "nl": "Beroepsvaardigheden", "en": "Work skills"},
            {"fr": "J'ai appris des savoir-faire utiles pour un emploi",
             "nl": "Ik heb vaardigheden geleerd die nuttig zijn voor een baan",
             "en": "I have learnt skills that are useful for a job"}, "economic", INSERTION),
    _likert("job_search_confidence",
            {"fr": "Capacité à chercher un emploi", "nl": "Vertrouwen bij het zoeken naar werk",
             "en": "Job-search confidence"},
            {"fr": "Je me sens capable de chercher un emploi par moi-même",
             "nl": "Ik voel me in staat zelf werk te zoeken",
             "en": "I feel able to look for a job on my own"}, "economic", INSERTION),
    _likert("daily_routine",
            {"fr": "Rythme de vie régulier", "nl": "Regelmatig levensritme", "en": "Regular daily routine"},
            {"fr": "J'ai un rythme de vie régulier", "nl": "Ik heb een regelmatig levensritme",
             "en": "I have a regular daily routine"}, "social", INSERTION),
    _likert("financial_situation",
            {"fr": "Situation financière", "nl": "Financiële situatie", "en": "Financial situation"},
            {"fr": "Ma situation financière s'est améliorée depuis mon arrivée",
             "nl": "Mijn financiële situatie is verbeterd sinds ik hier ben",
             "en": "My financial situation has improved since I arrived"}, "economic", INSERTION,
            level="impact"),
    _likert("mobility_autonomy",
            {"fr": "Autonomie de déplacement", "nl": "Zelfstandige mobiliteit", "en": "Mobility autonomy"},
            {"fr": "Je me déplace seul·e pour aller où j'en ai besoin",
             "nl": "Ik verplaats me zelfstandig waar ik moet zijn",
             "en": "I get around on my own wherever I need to go"}, "social", INSERTION),
    _yes_no("qualification_obtained",
            {"fr": "Qualification obtenue", "nl": "Behaalde kwalificatie", "en": "Qualification obtained"},
            {"fr": "Avez-vous obtenu un certificat ou une qualification ?",
             "nl": "Heeft u een certificaat of kwalificatie behaald?",
             "en": "Have you obtained a certificate or qualification?"},
            {"fr": "Part des personnes ayant obtenu une certification reconnue pendant le parcours.",
             "nl": "Aandeel personen dat tijdens het traject een erkend certificaat behaalde.",
             "en": "Share of people who obtained a recognised certificate during their path."},
            "economic", INSERTION, level="output", source="administrative_data"),
    _yes_no("stable_contract",
            {"fr": "Contrat stable", "nl": "Stabiel contract", "en": "Stable contract"},
            {"fr": "Avez-vous un contrat de travail de plus de six mois ?",
             "nl": "Heeft u een arbeidscontract van meer dan zes maanden?",
             "en": "Do you have an employment contract of more than six months?"},
            {"fr": "Part des personnes sous contrat de plus de six mois (CDI compris).",
             "nl": "Aandeel personen met een contract van meer dan zes maanden (vast inbegrepen).",
             "en": "Share of people on a contract of more than six months (permanent included)."},
            "economic", INSERTION, level="impact"),
    _amount("training_hours",
            {"fr": "Heures de formation", "nl": "Opleidingsuren", "en": "Training hours"},
            {"fr": "Heures de formation suivies pendant la période",
             "nl": "Gevolgde opleidingsuren tijdens de periode",
             "en": "Training hours followed during the period"},
            {"fr": "Heures de formation qualifiante ou d'accompagnement suivies par personne.",
             "nl": "Uren kwalificerende opleiding of begeleiding per persoon.",
             "en": "Hours of qualifying training or coaching per person."},
            {"fr": "heures", "nl": "uren", "en": "hours"}, "economic", INSERTION,
            score_range=(0, 1000)),
    # ------------------------------------------------------------------ solidarité
    _yes_no("rights_accessed",
            {"fr": "Accès aux droits", "nl": "Toegang tot rechten", "en": "Access to rights"},
            {"fr": "Avez-vous obtenu une aide ou un droit grâce à l'accompagnement ?",
             "nl": "Heeft u dankzij de begeleiding een uitkering of recht verkregen?",
             "en": "Have you obtained a benefit or right thanks to the support?"},
            {"fr": "Part des personnes ayant fait valoir un droit (allocation, aide, statut).",
             "nl": "Aandeel personen dat een recht liet gelden (uitkering, steun, statuut).",
             "en": "Share of people who claimed a right (allowance, aid, status)."},
            "social", SOLIDARITE),
    _yes_no("stable_housing",
            {"fr": "Logement stable", "nl": "Stabiele huisvesting", "en": "Stable housing"},
            {"fr": "Avez-vous un logement stable ?", "nl": "Heeft u een stabiele woning?",
             "en": "Do you have stable housing?"},
            {"fr": "Part des personnes logées de façon stable (bail ou propriété).",
             "nl": "Aandeel personen met stabiele huisvesting (huurcontract of eigendom).",
             "en": "Share of people in stable housing (lease or ownership)."},
            "social", SOLIDARITE, level="impact"),
    _likert("loneliness",
            {"fr": "Sentiment de solitude", "nl": "Gevoel van eenzaamheid", "en": "Loneliness"},
            {"fr": "Je me sens souvent seul·e", "nl": "Ik voel me vaak eenzaam",
             "en": "I often feel lonely"}, "social", SOLIDARITE, polarity="lower_better"),
    _likert("family_relations",
            {"fr": "Relations familiales", "nl": "Familierelaties", "en": "Family relations"},
            {"fr": "Mes relations avec ma famille se sont améliorées",
             "nl": "Mijn relaties met mijn familie zijn verbeterd",
             "en": "My relations with my family have improved"}, "social", SOLIDARITE),
    _likert("parenting_support",
            {"fr": "Soutien à la parentalité", "nl": "Steun bij het ouderschap",
             "en": "Parenting support"},
            {"fr": "Je me sens soutenu·e dans mon rôle de parent",
             "nl": "Ik voel me gesteund in mijn rol als ouder",
             "en": "I feel supported in my role as a parent"}, "social", SOLIDARITE),
    _likert("daily_autonomy",
            {"fr": "Autonomie au quotidien", "nl": "Zelfstandigheid in het dagelijks leven",
             "en": "Everyday autonomy"},
            {"fr": "Je peux accomplir seul·e les gestes de la vie quotidienne",
             "nl": "Ik kan de dagelijkse handelingen zelfstandig uitvoeren",
             "en": "I can carry out everyday tasks on my own"}, "social", SOLIDARITE),
    _likert("service_accessibility",
            {"fr": "Accessibilité du service", "nl": "Toegankelijkheid van de dienst",
             "en": "Service accessibility"},
            {"fr": "Le service m'est accessible (horaires, distance, coût)",
             "nl": "De dienst is voor mij toegankelijk (uren, afstand, kosten)",
             "en": "The service is accessible to me (hours, distance, cost)"}, "territorial",
            SOLIDARITE, level="output"),
    _amount("people_supported",
            {"fr": "Personnes accompagnées", "nl": "Begeleide personen", "en": "People supported"},
            {"fr": "Nombre de personnes accompagnées sur l'année",
             "nl": "Aantal begeleide personen in het jaar", "en": "Number of people supported in the year"},
            {"fr": "Personnes distinctes ayant bénéficié du service sur l'année (registre).",
             "nl": "Unieke personen die in het jaar van de dienst gebruikmaakten (register).",
             "en": "Distinct people who used the service during the year (register)."},
            {"fr": "personnes / an", "nl": "personen / jaar", "en": "people / year"}, "social",
            SOLIDARITE, score_range=(0, 100000)),
    _likert("energy_savings",
            {"fr": "Économies d'énergie au foyer", "nl": "Energiebesparing thuis",
             "en": "Household energy savings"},
            {"fr": "J'ai appris à réduire ma consommation d'énergie à la maison",
             "nl": "Ik heb geleerd thuis minder energie te verbruiken",
             "en": "I have learnt to use less energy at home"}, "environmental",
            ("solidarite", "autres")),
    _likert("budget_management",
            {"fr": "Gestion du budget", "nl": "Budgetbeheer", "en": "Budget management"},
            {"fr": "Je gère mieux mon budget qu'avant", "nl": "Ik beheer mijn budget beter dan vroeger",
             "en": "I manage my budget better than before"}, "economic", SOLIDARITE),
    # ------------------------------------------------------------------ autres ESS
    _yes_no("member_voted",
            {"fr": "Vote en assemblée générale", "nl": "Stemmen op de algemene vergadering",
             "en": "Voting at the general meeting"},
            {"fr": "Avez-vous voté à la dernière assemblée générale ?",
             "nl": "Heeft u gestemd op de laatste algemene vergadering?",
             "en": "Did you vote at the last general meeting?"},
            {"fr": "Part des membres ayant voté à la dernière assemblée générale.",
             "nl": "Aandeel leden dat stemde op de laatste algemene vergadering.",
             "en": "Share of members who voted at the last general meeting."},
            "political", AUTRES, level="practice"),
    _yes_no("civic_engagement",
            {"fr": "Engagement citoyen", "nl": "Burgerengagement", "en": "Civic engagement"},
            {"fr": "Êtes-vous engagé·e dans une association ou un collectif local ?",
             "nl": "Bent u actief in een vereniging of lokaal collectief?",
             "en": "Are you active in an association or local group?"},
            {"fr": "Part des personnes engagées dans une association ou un collectif local.",
             "nl": "Aandeel personen actief in een vereniging of lokaal collectief.",
             "en": "Share of people active in an association or local group."},
            "political", AUTRES, level="impact"),
    _yes_no("loan_repaid",
            {"fr": "Crédit remboursé", "nl": "Afgeloste lening", "en": "Loan repaid on schedule"},
            {"fr": "Le crédit est-il remboursé selon l'échéancier ?",
             "nl": "Wordt de lening volgens schema afgelost?",
             "en": "Is the loan being repaid on schedule?"},
            {"fr": "Part des microcrédits remboursés selon l'échéancier prévu.",
             "nl": "Aandeel microkredieten dat volgens schema wordt afgelost.",
             "en": "Share of micro-loans repaid on the planned schedule."},
            "economic", AUTRES, source="administrative_data"),
    _yes_no("business_survival",
            {"fr": "Pérennité de l'activité créée", "nl": "Voortbestaan van de opgerichte activiteit",
             "en": "Survival of the business created"},
            {"fr": "L'activité créée existe-t-elle toujours ?",
             "nl": "Bestaat de opgerichte activiteit nog?",
             "en": "Does the business created still exist?"},
            {"fr": "Part des activités créées toujours en activité deux ans après.",
             "nl": "Aandeel opgerichte activiteiten dat twee jaar later nog bestaat.",
             "en": "Share of businesses created still active two years later."},
            "economic", AUTRES, level="impact", source="administrative_data"),
    _likert("environmental_practices",
            {"fr": "Pratiques environnementales", "nl": "Milieubewuste gewoonten",
             "en": "Environmental practices"},
            {"fr": "J'ai changé mes habitudes pour réduire mon impact sur l'environnement",
             "nl": "Ik heb mijn gewoonten veranderd om mijn milieu-impact te verkleinen",
             "en": "I have changed my habits to reduce my environmental impact"},
            "environmental", AUTRES),
    _likert("ess_awareness",
            {"fr": "Connaissance de l'ESS", "nl": "Kennis van de sociale economie",
             "en": "Awareness of the social economy"},
            {"fr": "Je comprends ce qu'est l'économie sociale et solidaire",
             "nl": "Ik begrijp wat de sociale en solidaire economie is",
             "en": "I understand what the social and solidarity economy is"},
            "political", AUTRES),
    _likert("voice_heard",
            {"fr": "Parole entendue", "nl": "Gehoord worden", "en": "Voice heard"},
            {"fr": "Mes propositions sont prises en compte par la coopérative",
             "nl": "Mijn voorstellen worden door de coöperatie meegenomen",
             "en": "My proposals are taken into account by the cooperative"},
            "political", AUTRES, level="practice"),
    _amount("members_count",
            {"fr": "Membres coopérateurs", "nl": "Coöperanten", "en": "Cooperative members"},
            {"fr": "Nombre de membres coopérateurs", "nl": "Aantal coöperanten",
             "en": "Number of cooperative members"},
            {"fr": "Membres détenteurs de parts au 31 décembre (registre des membres).",
             "nl": "Leden met aandelen op 31 december (ledenregister).",
             "en": "Members holding shares on 31 December (register of members)."},
            {"fr": "membres", "nl": "leden", "en": "members"}, "political", AUTRES,
            score_range=(0, 100000)),
    _amount("local_purchases_share",
            {"fr": "Achats locaux", "nl": "Lokale aankopen", "en": "Local purchases"},
            {"fr": "Part des achats faits auprès de fournisseurs locaux (%)",
             "nl": "Aandeel aankopen bij lokale leveranciers (%)",
             "en": "Share of purchases from local suppliers (%)"},
            {"fr": "Achats auprès de fournisseurs à moins de 50 km / total des achats (comptabilité).",
             "nl": "Aankopen bij leveranciers binnen 50 km / totale aankopen (boekhouding).",
             "en": "Purchases from suppliers within 50 km / total purchases (accounts)."},
            {"fr": "% des achats", "nl": "% van de aankopen", "en": "% of purchases"},
            "territorial", AUTRES, level="practice", score_range=(0, 100)),
    _amount("local_producers",
            {"fr": "Producteurs locaux partenaires", "nl": "Lokale partnerproducenten",
             "en": "Local partner producers"},
            {"fr": "Nombre de producteurs locaux fournisseurs", "nl": "Aantal lokale leveranciers-producenten",
             "en": "Number of local producers supplying"},
            {"fr": "Producteurs situés à moins de 50 km qui ont livré au moins une fois sur l'année.",
             "nl": "Producenten binnen 50 km die in het jaar minstens één keer leverden.",
             "en": "Producers within 50 km who delivered at least once in the year."},
            {"fr": "producteurs", "nl": "producenten", "en": "producers"}, "territorial", AUTRES,
            score_range=(0, 10000)),
    _amount("renewable_energy",
            {"fr": "Énergie renouvelable produite", "nl": "Geproduceerde hernieuwbare energie",
             "en": "Renewable energy produced"},
            {"fr": "Électricité renouvelable produite sur l'année (MWh)",
             "nl": "Hernieuwbare elektriciteit geproduceerd in het jaar (MWh)",
             "en": "Renewable electricity produced in the year (MWh)"},
            {"fr": "Production annuelle des installations de la coopérative (relevés de compteur).",
             "nl": "Jaarproductie van de installaties van de coöperatie (meterstanden).",
             "en": "Annual output of the cooperative's installations (meter readings)."},
            {"fr": "MWh / an", "nl": "MWh / jaar", "en": "MWh / year"}, "environmental", AUTRES,
            score_range=(0, 1000000)),
    _amount("waste_diverted",
            {"fr": "Déchets évités ou valorisés", "nl": "Vermeden of gevaloriseerd afval",
             "en": "Waste diverted"},
            {"fr": "Tonnes de déchets réemployées ou recyclées sur l'année",
             "nl": "Ton afval hergebruikt of gerecycleerd in het jaar",
             "en": "Tonnes of waste reused or recycled in the year"},
            {"fr": "Tonnage collecté et réemployé ou recyclé plutôt qu'éliminé (pesées).",
             "nl": "Ingezamelde tonnage hergebruikt of gerecycleerd in plaats van verwijderd (wegingen).",
             "en": "Tonnage collected and reused or recycled rather than disposed of (weighings)."},
            {"fr": "tonnes / an", "nl": "ton / jaar", "en": "tonnes / year"}, "environmental",
            ("autres", "insertion"), score_range=(0, 100000)),
    _amount("local_jobs",
            {"fr": "Emplois locaux créés", "nl": "Gecreëerde lokale banen", "en": "Local jobs created"},
            {"fr": "Emplois créés sur le territoire (ETP)", "nl": "Gecreëerde banen in de regio (VTE)",
             "en": "Jobs created locally (FTE)"},
            {"fr": "Équivalents temps plein créés sur le territoire depuis le début (registre du personnel).",
             "nl": "Voltijdse equivalenten gecreëerd in de regio sinds de start (personeelsregister).",
             "en": "Full-time equivalents created locally since the start (staff register)."},
            {"fr": "ETP", "nl": "VTE", "en": "FTE"}, "territorial", ALL_POLES, level="impact",
            score_range=(0, 10000)),
)

CATALOGUE = CATALOGUE + EXTENDED

BY_CODE: dict[str, CatalogueIndicator] = {c.code: c for c in CATALOGUE}

POLARITIES = ("higher_better", "lower_better")
if any(entry.polarity not in POLARITIES for entry in CATALOGUE):
    raise ValueError("a catalogue indicator has an unknown polarity")
