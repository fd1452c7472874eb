"""The VISES vocabulary: every coded notion of the method, with fr / nl / en labels.

Codes are stable identifiers stored in the database and in exports; labels are what
people read. Adding a term means adding a `Term`; changing a code breaks stored data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# The languages whose labels are written here, beside the codes; any other language with a
# catalogue (vises_nb/locales/<lang>) reads its labels from there (see Term.label).
LANGUAGES: tuple[str, ...] = ("fr", "nl", "en")


@dataclass(frozen=True)
class Term:
    """One coded notion and its label in each language."""

    code: str
    fr: str
    nl: str
    en: str
    kind: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """The catalogue key of this term's label: vocab.<vocabulary>.<code>."""
        return f"vocab.{self.kind.replace(' ', '_')}.{self.code}"

    def label(self, lang: str) -> str:
        """The label in `lang`; languages beyond fr/nl/en come from their catalogue."""
        if lang in LANGUAGES:
            return getattr(self, lang)
        from vises_nb import i18n

        if not i18n.has_catalogue(lang):
            raise ValueError(f"unknown language {lang!r}: use one of "
                             f"{', '.join(i18n.available_languages())}")
        return i18n.catalogue(lang).get(self.key) or self.en


class Vocabulary:
    """An ordered, closed list of terms (poles, dimensions...)."""

    def __init__(self, name: str, terms: list[Term]):
        self.name = name
        terms = [replace(t, kind=name) for t in terms]
        self.terms = tuple(terms)
        self._by_code = {t.code: t for t in terms}
        if len(self._by_code) != len(terms):
            raise ValueError(f"duplicate code in vocabulary {name}")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, code: str) -> Term:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(
                f"{code!r} is not a {self.name}; expected one of: {', '.join(self.codes)}"
            ) from None

    def label(self, code: str, lang: str) -> str:
        return self.get(code).label(lang)

    def labels(self, lang: str) -> dict[str, str]:
        return {t.code: t.label(lang) for t in self.terms}


STEPS = Vocabulary("step", [
    Term("1", "Diagnostic et question évaluative", "Diagnose en evaluatievraag",
         "Diagnostic and evaluative question"),
    Term("2", "Méthodes et récolte de données", "Methoden en gegevensverzameling",
         "Methods and data collection"),
    Term("3", "Analyse et valorisation", "Analyse en valorisatie", "Analysis and valorisation"),
])

SUBSTEPS = Vocabulary("sub-step", [
    Term("1.1", "Familiarisation aux enjeux de l'évaluation", "Kennismaking met evaluatie",
         "Familiarisation with evaluation"),
    Term("1.2", "Carte d'identité de l'entreprise", "Identiteitskaart van de onderneming",
         "Enterprise identity card"),
    Term("1.3", "Chaîne de l'impact", "Impactketen", "Impact chain"),
    Term("1.4", "Question(s) évaluative(s)", "Evaluatievra(a)g(en)", "Evaluative question(s)"),
    Term("1.5", "Choix des méthodes de récolte", "Keuze van de verzamelmethoden",
         "Choice of collection methods"),
    Term("2.1", "Choix et co-construction des indicateurs", "Keuze en co-creatie van indicatoren",
         "Choosing and co-building indicators"),
    Term("2.2", "Outils de récolte", "Verzamelinstrumenten", "Collection instruments"),
    Term("2.3", "Récolte des données par vagues", "Gegevensverzameling in golven",
         "Data collection in waves"),
    Term("3.1", "Analyse des données", "Gegevensanalyse", "Data analysis"),
    Term("3.2", "Réponses aux questions évaluatives", "Antwoorden op de evaluatievragen",
         "Answers to the evaluative questions"),
    Term("3.3", "Valorisation de l'impact social", "Valorisatie van de sociale impact",
         "Valorisation of social impact"),
])

STEP_STATUSES = Vocabulary("step status", [
    Term("not_started", "Pas commencée", "Niet gestart", "Not started"),
    Term("in_progress", "En cours", "Bezig", "In progress"),
    Term("done", "Terminée", "Afgerond", "Done"),
])

POLES = Vocabulary("pole", [
    Term("insertion", "Insertion", "Inschakeling", "Work integration"),
    Term("solidarite", "Solidarité", "Solidariteit", "Solidarity services"),
    Term("autres", "Autres ESS", "Andere sociale economie", "Other social economy"),
])

REGIONS = Vocabulary("region", [
    Term("wallonia", "Wallonie", "Wallonië", "Wallonia"),
    Term("brussels", "Bruxelles", "Brussel", "Brussels"),
    Term("flanders", "Flandre", "Vlaanderen", "Flanders"),
    Term("hauts_de_france", "Hauts-de-France", "Hauts-de-France", "Hauts-de-France"),
])

DIMENSIONS = Vocabulary("impact dimension", [
    Term("economic", "Économique", "Economisch", "Economic"),
    Term("social", "Sociale", "Sociaal", "Social"),
    Term("political", "Politique", "Politiek", "Political"),
    Term("environmental", "Environnementale", "Ecologisch", "Environmental"),
    Term("territorial", "Territoriale", "Territoriaal", "Territorial"),
])

CHAIN_LEVELS = Vocabulary("impact-chain level", [
    Term("resource", "Ressources", "Middelen", "Resources"),
    Term("activity", "Activités", "Activiteiten", "Activities"),
    Term("output", "Réalisations", "Realisaties", "Outputs"),
    Term("outcome", "Résultats", "Resultaten", "Outcomes"),
    Term("impact", "Impacts", "Impact", "Impacts"),
])

INDICATOR_LEVELS = Vocabulary("indicator level", [
    Term("output", "Réalisation", "Realisatie", "Output"),
    Term("outcome", "Résultat", "Resultaat", "Outcome"),
    Term("impact", "Impact", "Impact", "Impact"),
    Term("practice", "Pratique", "Praktijk", "Practice"),
])

INDICATOR_NATURES = Vocabulary("indicator nature", [
    Term("quantitative", "Quantitatif", "Kwantitatief", "Quantitative"),
    Term("qualitative", "Qualitatif", "Kwalitatief", "Qualitative"),
])

#: Which way an indicator is better; a change's direction is read with it (loneliness: down).
POLARITIES = Vocabulary("indicator polarity", [
    Term("higher_better", "Plus haut = mieux", "Hoger = beter", "Higher is better"),
    Term("lower_better", "Plus bas = mieux", "Lager = beter", "Lower is better"),
])

STAKEHOLDERS = Vocabulary("stakeholder category", [
    Term("workers", "Travailleurs", "Werknemers", "Workers"),
    Term("people_supported", "Personnes accompagnées", "Begeleide personen", "People supported"),
    Term("clients", "Clients et usagers", "Klanten en gebruikers", "Clients and users"),
    Term("suppliers", "Fournisseurs", "Leveranciers", "Suppliers"),
    Term("funders", "Financeurs", "Financiers", "Funders"),
    Term("volunteers", "Bénévoles", "Vrijwilligers", "Volunteers"),
    Term("public_bodies", "Pouvoirs publics", "Overheden", "Public bodies"),
    Term("territory", "Territoire et riverains", "Buurt en omwonenden", "Territory and neighbours"),
])

METHODS = Vocabulary("data-collection method", [
    Term("questionnaire", "Questionnaire", "Vragenlijst", "Questionnaire"),
    Term("interview", "Entretien", "Interview", "Interview"),
    Term("focus_group", "Focus group", "Focusgroep", "Focus group"),
    Term("life_story", "Récit de vie", "Levensverhaal", "Life story"),
    Term("observation", "Observation", "Observatie", "Observation"),
    Term("administrative_data", "Données administratives", "Administratieve gegevens",
         "Administrative data"),
])

INVOLVEMENT = Vocabulary("involvement level", [
    Term("informed", "Informé", "Geïnformeerd", "Informed"),
    Term("consulted", "Consulté", "Geraadpleegd", "Consulted"),
    Term("co_deciding", "Codécideur", "Medebeslissend", "Co-deciding"),
])

PURPOSES = Vocabulary("evaluation purpose", [
    Term("improve", "Améliorer les pratiques", "Praktijken verbeteren", "Improve practices"),
    Term("account", "Rendre compte aux financeurs", "Verantwoording aan financiers",
         "Account to funders"),
    Term("advocacy", "Plaidoyer", "Belangenbehartiging", "Advocacy"),
    Term("mobilise", "Mobiliser l'équipe", "Het team mobiliseren", "Mobilise the team"),
])

RESEARCH_NOTE_KINDS = Vocabulary("research-action note kind", [
    Term("difficulty", "Difficulté rencontrée", "Ondervonden moeilijkheid", "Difficulty met"),
    Term("adaptation", "Adaptation réalisée", "Doorgevoerde aanpassing", "Adaptation made"),
])

FINDING_AUTHORS = Vocabulary("finding author", [
    Term("accompanier", "L'accompagnateur", "De begeleider", "The accompanier"),
    Term("enterprise", "L'entreprise", "De onderneming", "The enterprise"),
])

WAVES = Vocabulary("wave", [
    Term("T0", "T0 — entrée", "T0 — instroom", "T0 — entry"),
    Term("T1", "T1 — sortie", "T1 — uitstroom", "T1 — exit"),
    Term("T2", "T2 — six mois après", "T2 — zes maanden later", "T2 — six months after"),
])

SCALE_KINDS = Vocabulary("answer scale", [
    Term("likert5", "Accord (5 points)", "Akkoord (5 punten)", "Agreement (5 points)"),
    Term("frequency4", "Fréquence (4 points)", "Frequentie (4 punten)", "Frequency (4 points)"),
    Term("yes_no", "Oui / non", "Ja / nee", "Yes / no"),
    Term("network3", "Taille du réseau", "Grootte van het netwerk", "Network size"),
    Term("number", "Nombre", "Getal", "Number"),
    Term("text", "Texte libre", "Vrije tekst", "Free text"),
    Term("ordinal", "Échelle propre (ordonnée)", "Eigen schaal (geordend)",
         "Own scale (ordered)"),
    Term("nominal", "Liste non ordonnée", "Ongeordende lijst", "Unordered list"),
])

CLEANING_KINDS = Vocabulary("cleaning action", [
    Term("recode", "Code de répondant corrigé", "Respondentcode verbeterd",
         "Respondent code corrected"),
    Term("exclude", "Soumission exclue", "Inzending uitgesloten", "Submission excluded"),
    Term("correct", "Réponse corrigée", "Antwoord verbeterd", "Answer corrected"),
])

SEXES = Vocabulary("sex", [
    Term("f", "Femme", "Vrouw", "Woman"),
    Term("m", "Homme", "Man", "Man"),
    Term("x", "Autre / non précisé", "Ander / niet vermeld", "Other / not stated"),
])

AGE_BANDS = Vocabulary("age band", [
    Term("<25", "Moins de 25 ans", "Jonger dan 25", "Under 25"),
    Term("25-44", "25 à 44 ans", "25 tot 44 jaar", "25 to 44"),
    Term("45+", "45 ans et plus", "45 jaar en ouder", "45 and over"),
])

ALL: dict[str, Vocabulary] = {
    "steps": STEPS, "substeps": SUBSTEPS, "step_statuses": STEP_STATUSES, "poles": POLES,
    "regions": REGIONS, "dimensions": DIMENSIONS, "chain_levels": CHAIN_LEVELS,
    "indicator_levels": INDICATOR_LEVELS, "indicator_natures": INDICATOR_NATURES,
    "stakeholders": STAKEHOLDERS, "methods": METHODS, "involvement": INVOLVEMENT,
    "purposes": PURPOSES, "research_note_kinds": RESEARCH_NOTE_KINDS,
    "finding_authors": FINDING_AUTHORS, "waves": WAVES,
    "scale_kinds": SCALE_KINDS, "sexes": SEXES, "age_bands": AGE_BANDS,
    "cleaning_kinds": CLEANING_KINDS,
}
