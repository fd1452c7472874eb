"""Fictional content used to generate the deterministic VISES sample cohort.

Everything in this module is plain constant data: labels, sentences and name
fragments in French ("fr"), Dutch ("nl") and, where noted, English ("en").
All organisations, places and people are fictional; any resemblance to real
ones is accidental.

Code lists used throughout:

* poles: ``insertion``, ``solidarite``, ``autres``
* regions: ``wallonia``, ``brussels``, ``flanders``, ``hauts_de_france``
* impact dimensions: ``economic``, ``social``, ``political``,
  ``environmental``, ``territorial``
* impact-chain levels: ``resource``, ``activity``, ``output``, ``outcome``,
  ``impact``
* stakeholders: ``workers``, ``people_supported``, ``clients``,
  ``suppliers``, ``funders``, ``volunteers``, ``public_bodies``,
  ``territory``
* purposes of an evaluative question: ``improve``, ``account``,
  ``advocacy``, ``mobilise``
* indicator codes (sample catalogue): ``wellbeing_index``,
  ``self_confidence``, ``network_size``, ``positive_exit``,
  ``services_known``, ``satisfaction``, ``recognition``,
  ``sense_of_purpose``, ``participation_decisions``,
  ``local_purchases_share``, ``volunteer_hours``, ``driving_licence``

``ACTIVITY_TYPES[pole][i]["name_stems"]`` are short fictional names that can
be used on their own ("Les Ateliers du Val") or followed by a place name
taken from ``PLACE_NAMES``.  Legal forms mix Belgian and French forms for
French, Belgian forms for Dutch.
"""

from typing import Any

# ---------------------------------------------------------------------------
# 1. Activity types and place names
# ---------------------------------------------------------------------------

ACTIVITY_TYPES: dict[str, list[dict[str, Any]]] = {
    "insertion": [
        {
            "code": "sheltered_work",
            "sector": {
                "fr": "Entreprise de travail adapté",
                "nl": "Maatwerkbedrijf",
                "en": "Sheltered work company",
            },
            "legal_forms": {
                "fr": ["ASBL", "SRL à finalité sociale", "Entreprise adaptée (Association loi 1901)"],
                "nl": ["vzw", "cv erkend als sociale onderneming"],
            },
            "name_stems": {
                "fr": ["Les Ateliers du Val", "L'Établi Solidaire", "Atelier Horizon", "Les Mains Unies", "L'Ouvroir des Tilleuls"],
                "nl": ["Het Werkhuis", "De Draaischijf", "Atelier Zonnewijzer", "De Handige Hand", "Maatwerk Lindehof"],
            },
        },
        {
            "code": "building_renovation",
            "sector": {
                "fr": "Insertion par la rénovation du bâtiment",
                "nl": "Sociale inschakeling via renovatie van woningen",
                "en": "Work integration through building renovation",
            },
            "legal_forms": {
                "fr": ["ASBL", "SC agréée entreprise sociale", "SCIC"],
                "nl": ["vzw", "cv", "cvba-so"],
            },
            "name_stems": {
                "fr": ["Coop'Bâti", "Les Compagnons de la Truelle", "Rénov'Ensemble", "La Charpente Partagée", "Maçons du Coin"],
                "nl": ["De Bouwbrug", "Renovatiehuis De Steiger", "Samen Bouwen", "De Troffel", "Werf & Co"],
            },
        },
        {
            "code": "green_spaces",
            "sector": {
                "fr": "Entretien d'espaces verts et maraîchage d'insertion",
                "nl": "Groenonderhoud en sociale tuinbouw",
                "en": "Green space maintenance and integration market gardening",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901", "SRL à finalité sociale"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["La Main Verte", "Jardins de Traverse", "Les Potagers du Trieu", "Terre d'Envol", "Sillons Solidaires"],
                "nl": ["De Groene Schakel", "Tuinen van Morgen", "Het Groene Lint", "De Moestuinploeg", "Groenwerk Heidebeek"],
            },
        },
        {
            "code": "reuse_recycling",
            "sector": {
                "fr": "Collecte, tri et réemploi d'objets",
                "nl": "Kringloop en hergebruik",
                "en": "Collection, sorting and reuse of goods",
            },
            "legal_forms": {
                "fr": ["ASBL", "SCRL-FS", "Association loi 1901", "SCIC"],
                "nl": ["vzw", "cvba-so"],
            },
            "name_stems": {
                "fr": ["Seconde Main", "La Ressourcerie du Canal", "Recyclerie des Deux Rives", "Le Grenier Solidaire", "Ré-Emploi & Cie"],
                "nl": ["Kringloopwinkel Tweede Leven", "De Ruilbeurs", "Het Hergebruikhuis", "De Vondst", "Kringwerk"],
            },
        },
        {
            "code": "training_centre",
            "sector": {
                "fr": "Centre de formation professionnelle pour adultes peu qualifiés",
                "nl": "Opleidingscentrum voor laaggeschoolde volwassenen",
                "en": "Vocational training centre for low-skilled adults",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Tremplin Formation", "L'Escale Métiers", "Cap Compétences", "Le Passage", "Pas à Pas Formation"],
                "nl": ["Opstap", "De Leerwerkplaats", "Springplank", "Het Leerhuis", "Kompas Vorming"],
            },
        },
        {
            "code": "catering",
            "sector": {
                "fr": "Restaurant et traiteur d'insertion",
                "nl": "Sociaal restaurant en catering",
                "en": "Integration restaurant and catering",
            },
            "legal_forms": {
                "fr": ["ASBL", "SRL à finalité sociale", "SCOP"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["La Table du Quartier", "Le Fourneau Partagé", "Saveurs d'Ici", "La Cantine des Possibles", "Le Bon Plat"],
                "nl": ["De Keukenbrigade", "Het Buurtrestaurant", "Smaakmakers", "De Volle Pot", "Eethuis Samen"],
            },
        },
        {
            "code": "cleaning_services",
            "sector": {
                "fr": "Titres-services et nettoyage",
                "nl": "Dienstencheques en schoonmaak",
                "en": "Service vouchers and cleaning",
            },
            "legal_forms": {
                "fr": ["ASBL", "SRL à finalité sociale"],
                "nl": ["vzw", "cv erkend als sociale onderneming"],
            },
            "name_stems": {
                "fr": ["Net & Services", "Coup de Main", "Clair Logis", "Les Fées du Logis", "Propre & Solidaire"],
                "nl": ["Poetsdienst Blinkend", "Huishulp Plus", "De Dienstenbrug", "Thuis Proper", "Helpende Handen"],
            },
        },
        {
            "code": "textile_workshop",
            "sector": {
                "fr": "Atelier de couture et de retouche textile",
                "nl": "Naai- en textielatelier",
                "en": "Sewing and textile workshop",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901", "SCOP"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["Fil d'Ariane", "Le Dé à Coudre", "Atelier Patchwork", "Tissons Ensemble", "La Navette"],
                "nl": ["De Naaldenkoker", "Draad & Stof", "Atelier Lapjeswerk", "De Spoel", "Stiksels"],
            },
        },
        {
            "code": "bike_repair",
            "sector": {
                "fr": "Réparation, location et recyclage de vélos",
                "nl": "Fietsherstelling, -verhuur en -recyclage",
                "en": "Bicycle repair, rental and recycling",
            },
            "legal_forms": {
                "fr": ["ASBL", "SC agréée entreprise sociale", "SCIC"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["Cyclo-Atelier", "La Roue Libre", "Rayons d'Avenir", "Vélo Tremplin", "Le Dérailleur"],
                "nl": ["Fietspunt De Ketting", "Trapkracht", "Het Fietsatelier", "De Spaak", "Rijwiel Opnieuw"],
            },
        },
        {
            "code": "packaging_logistics",
            "sector": {
                "fr": "Conditionnement et logistique en sous-traitance",
                "nl": "Verpakking en logistiek in onderaanneming",
                "en": "Subcontracted packaging and logistics",
            },
            "legal_forms": {
                "fr": ["ASBL", "SRL à finalité sociale", "Entreprise adaptée (SAS)"],
                "nl": ["vzw", "cvba-so"],
            },
            "name_stems": {
                "fr": ["Emballe & Vous", "Le Quai Solidaire", "Logis'Pro", "Les Palettes", "Atelier du Colis"],
                "nl": ["De Laadkade", "Pakwerk", "Logistiek Op Maat", "Het Magazijn", "De Verpakkerij"],
            },
        },
    ],
    "solidarite": [
        {
            "code": "early_childhood",
            "sector": {
                "fr": "Crèche et accueil de la petite enfance",
                "nl": "Kinderopvang",
                "en": "Early childhood care",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901", "SCIC"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Les Petits Pas", "La Maison des Lutins", "Crèche Arc-en-Ciel", "Les Bambins du Parc", "Le Nid Douillet"],
                "nl": ["Kinderdagverblijf De Kikkertjes", "Het Speelnest", "De Kleine Wereld", "Kribbe Zonnestraal", "Het Vlindertje"],
            },
        },
        {
            "code": "youth_aid",
            "sector": {
                "fr": "Aide à la jeunesse en milieu ouvert",
                "nl": "Jeugdhulp en jeugdwerk in open context",
                "en": "Open-setting youth aid",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Le Carrefour des Jeunes", "La Boussole", "Point Jeunes", "L'Antenne", "Le Relais Ados"],
                "nl": ["Jongerenpunt De Kruising", "Het Kompas", "Jeugdhuis De Brug", "Tienerwerking Vrijplaats", "De Uitvalsbasis"],
            },
        },
        {
            "code": "disability_day_centre",
            "sector": {
                "fr": "Service d'accueil de jour pour adultes en situation de handicap",
                "nl": "Dagcentrum voor volwassenen met een beperking",
                "en": "Day centre for adults with disabilities",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Les Alizés", "La Maison Ouverte", "Le Chemin Partagé", "Les Hirondelles", "L'Oasis"],
                "nl": ["Dagcentrum De Linde", "Het Open Huis", "De Zonnebloem", "Ontmoetingshuis De Boog", "De Wegwijzer"],
            },
        },
        {
            "code": "elderly_home_care",
            "sector": {
                "fr": "Aide et soins à domicile pour personnes âgées",
                "nl": "Thuiszorg en gezinszorg voor ouderen",
                "en": "Home help and care for older people",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901", "SCIC"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Présence à Domicile", "Les Aînés Chez Eux", "Vivre Chez Soi", "Le Fil d'Argent", "Âge & Lien"],
                "nl": ["Thuiszorg Dichtbij", "Zorg aan Huis", "De Zilveren Draad", "Samen Thuis", "Zorgnet Ter Linden"],
            },
        },
        {
            "code": "social_rental_agency",
            "sector": {
                "fr": "Agence immobilière sociale",
                "nl": "Sociaal verhuurkantoor",
                "en": "Social rental agency",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Toit Commun", "Logis Solidaire", "Un Toit Pour Tous", "La Clé des Champs", "Habitat & Lien"],
                "nl": ["Dak Boven Het Hoofd", "Woonkans", "Het Woonloket", "Sleutel Wonen", "De Woonbrug"],
            },
        },
        {
            "code": "homeless_shelter",
            "sector": {
                "fr": "Accueil et hébergement de personnes sans abri",
                "nl": "Opvang en begeleiding van dak- en thuislozen",
                "en": "Homeless shelter and support",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["L'Abri de Nuit", "La Halte", "Le Phare", "Maison d'Accueil L'Étape", "Le Refuge du Canal"],
                "nl": ["Nachtopvang De Haven", "Het Onthaal", "De Schuilplaats", "Inloophuis De Deur", "Het Anker"],
            },
        },
        {
            "code": "food_aid",
            "sector": {
                "fr": "Épicerie sociale et aide alimentaire",
                "nl": "Sociale kruidenier en voedselhulp",
                "en": "Social grocery and food aid",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["L'Épicerie du Cœur", "Le Panier Partagé", "Le Garde-Manger", "Coup de Pouce Alimentaire", "La Petite Épicerie"],
                "nl": ["Sociale Kruidenier Het Mandje", "De Voorraadkast", "Buurtwinkel Delen", "De Volle Kar", "Het Voedselpunt"],
            },
        },
        {
            "code": "community_mental_health",
            "sector": {
                "fr": "Lieu d'accueil en santé mentale communautaire",
                "nl": "Ontmoetingshuis voor geestelijke gezondheid",
                "en": "Community mental health drop-in centre",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Le Club du Mardi", "L'Entre-Deux", "La Parenthèse", "Le Jardin Intérieur", "Espace Respir"],
                "nl": ["Ontmoetingshuis Adem", "De Tussenruimte", "Het Luisterhuis", "De Verademing", "Huis Vooruit"],
            },
        },
        {
            "code": "intergenerational_housing",
            "sector": {
                "fr": "Habitat groupé et intergénérationnel",
                "nl": "Cohousing en intergenerationeel wonen",
                "en": "Intergenerational cohousing",
            },
            "legal_forms": {
                "fr": ["ASBL", "SC agréée entreprise sociale", "SCIC"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["Les Générations Réunies", "Le Béguinage Nouveau", "La Cour Commune", "Maison Kangourou", "Habiter Ensemble"],
                "nl": ["Het Nieuwe Begijnhof", "Samenhuizen De Hoeve", "Kangoeroewonen", "De Gedeelde Tuin", "Generatiehuis"],
            },
        },
        {
            "code": "family_support",
            "sector": {
                "fr": "Soutien à la parentalité et aux familles",
                "nl": "Gezinsondersteuning en opvoedingsondersteuning",
                "en": "Parenting and family support",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["La Maison des Familles", "Parents Ensemble", "Le Cocon", "La Ronde des Parents", "L'Îlot Familles"],
                "nl": ["Huis van de Ouders", "Het Gezinspunt", "Opvoedingswinkel De Kring", "De Ouderbabbel", "Gezinshuis Samen"],
            },
        },
    ],
    "autres": [
        {
            "code": "renewable_energy_coop",
            "sector": {
                "fr": "Coopérative citoyenne d'énergie renouvelable",
                "nl": "Burgerenergiecoöperatie",
                "en": "Citizen renewable energy cooperative",
            },
            "legal_forms": {
                "fr": ["SC agréée entreprise sociale", "SCRL-FS", "SCIC", "SAS coopérative"],
                "nl": ["cv", "cvba-so", "cv erkend als sociale onderneming"],
            },
            "name_stems": {
                "fr": ["Coop'Énergie des Collines", "Vent de Chez Nous", "Soleil Commun", "Les Éoliennes Citoyennes", "Énergie Partagée du Val"],
                "nl": ["Windkracht Samen", "Zonnedak Coöperatief", "Burgerstroom", "De Energieke Buurt", "Groene Volt"],
            },
        },
        {
            "code": "short_food_chain",
            "sector": {
                "fr": "Circuits courts alimentaires",
                "nl": "Korte voedselketen",
                "en": "Short food supply chain",
            },
            "legal_forms": {
                "fr": ["SC agréée entreprise sociale", "SCIC", "Association loi 1901", "ASBL"],
                "nl": ["cv", "vzw"],
            },
            "name_stems": {
                "fr": ["Le Comptoir Paysan", "Du Champ à l'Assiette", "La Ruche Locale", "Panier Fermier", "Les Halles Coopératives"],
                "nl": ["Boerenmarkt Dichtbij", "Van Veld tot Bord", "De Voedselkring", "Het Hoevepakket", "Lokaal Geoogst"],
            },
        },
        {
            "code": "permanent_education",
            "sector": {
                "fr": "Éducation permanente",
                "nl": "Sociaal-cultureel volwassenenwerk",
                "en": "Popular adult education",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901"],
                "nl": ["vzw"],
            },
            "name_stems": {
                "fr": ["Université Populaire du Trieu", "Les Ateliers Citoyens", "Le Cercle des Savoirs", "Agora Populaire", "Lire & Débattre"],
                "nl": ["Volkshogeschool De Agora", "Het Denkhuis", "Burgerschool", "De Leesclub", "Vorming & Verbinding"],
            },
        },
        {
            "code": "microcredit",
            "sector": {
                "fr": "Microcrédit et finance solidaire",
                "nl": "Microkrediet en solidaire financiering",
                "en": "Microcredit and solidarity finance",
            },
            "legal_forms": {
                "fr": ["SC agréée entreprise sociale", "SCRL-FS", "Association loi 1901"],
                "nl": ["cv", "cvba-so"],
            },
            "name_stems": {
                "fr": ["Crédit Tremplin", "La Tirelire Solidaire", "Fonds d'Élan", "Épargne Commune", "Le Coup d'Envoi"],
                "nl": ["Startkapitaal", "Het Solidaire Spaarvarken", "Krediet Voor Iedereen", "Duwtje in de Rug", "De Spaarpot"],
            },
        },
        {
            "code": "worker_coop",
            "sector": {
                "fr": "Coopérative de travailleurs",
                "nl": "Werknemerscoöperatie",
                "en": "Worker cooperative",
            },
            "legal_forms": {
                "fr": ["SCOP", "SC agréée entreprise sociale", "SCRL-FS"],
                "nl": ["cv", "cv erkend als sociale onderneming"],
            },
            "name_stems": {
                "fr": ["Les Artisans Associés", "Imprimerie du Pont", "Menuiserie Coopérative", "L'Atelier Commun", "Les Ouvriers du Livre"],
                "nl": ["De Samenwerkers", "Drukkerij De Brug", "Schrijnwerkerij Samen", "Het Collectief", "Vakmensen cv"],
            },
        },
        {
            "code": "business_employment_coop",
            "sector": {
                "fr": "Coopérative d'activités et d'emploi",
                "nl": "Coöperatie voor startende ondernemers",
                "en": "Business and employment cooperative",
            },
            "legal_forms": {
                "fr": ["SCOP", "SCIC", "SC agréée entreprise sociale"],
                "nl": ["cv", "cvba-so"],
            },
            "name_stems": {
                "fr": ["Entreprendre Ensemble", "La Couveuse", "Coop'Activités", "Les Entrepreneurs Salariés", "Le Tremplin Coopératif"],
                "nl": ["Ondernemen Samen", "De Broedplaats", "Startcoöperatie", "Het Ondernemershuis", "Eigen Zaak Samen"],
            },
        },
        {
            "code": "community_media",
            "sector": {
                "fr": "Média local et associatif",
                "nl": "Lokale burgermedia",
                "en": "Community media",
            },
            "legal_forms": {
                "fr": ["ASBL", "Association loi 1901", "SCIC"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["Radio Clocher", "L'Écho du Quartier", "La Gazette Partagée", "Télé Vallée", "Les Voix d'Ici"],
                "nl": ["Buurtradio De Golf", "Wijkkrant De Spreekbuis", "Lokaal Nieuws", "Radio Kouter", "De Buurtstem"],
            },
        },
        {
            "code": "circular_repair",
            "sector": {
                "fr": "Économie circulaire et réparation",
                "nl": "Circulaire economie en herstelling",
                "en": "Circular economy and repair",
            },
            "legal_forms": {
                "fr": ["ASBL", "SC agréée entreprise sociale", "SCIC"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["Répar'Tout", "Le Tournevis Solidaire", "Deuxième Vie", "L'Atelier Rafistole", "Boucle Locale"],
                "nl": ["Herstelpunt", "De Schroevendraaier", "Tweede Ronde", "Repareerhuis", "Kringwerkplaats"],
            },
        },
        {
            "code": "fair_trade",
            "sector": {
                "fr": "Commerce équitable",
                "nl": "Eerlijke handel",
                "en": "Fair trade",
            },
            "legal_forms": {
                "fr": ["SC agréée entreprise sociale", "SCIC", "ASBL"],
                "nl": ["cv", "vzw"],
            },
            "name_stems": {
                "fr": ["Juste Échange", "Le Comptoir Équitable", "Terres Partagées", "Balance Juste", "Les Sentiers du Monde"],
                "nl": ["Eerlijk Gedeeld", "De Wereldkramer", "Rechtvaardige Ruil", "Handel met Hart", "De Evenaar"],
            },
        },
        {
            "code": "shared_mobility",
            "sector": {
                "fr": "Mobilité partagée et autopartage",
                "nl": "Deelmobiliteit en autodelen",
                "en": "Shared mobility and car sharing",
            },
            "legal_forms": {
                "fr": ["SC agréée entreprise sociale", "SCIC", "ASBL"],
                "nl": ["cv", "vzw"],
            },
            "name_stems": {
                "fr": ["Roulons Ensemble", "Auto-Partage du Plateau", "Mobil'Idées", "Le Covoit' Solidaire", "Cap Mobilité"],
                "nl": ["Samen Op Weg", "Deelauto Buurt", "Rij Mee", "De Mobiliteitsmakers", "Wielwerk"],
            },
        },
        {
            "code": "cultural_third_place",
            "sector": {
                "fr": "Tiers-lieu culturel coopératif",
                "nl": "Coöperatieve culturele ontmoetingsplek",
                "en": "Cooperative cultural third place",
            },
            "legal_forms": {
                "fr": ["ASBL", "SCIC", "SC agréée entreprise sociale"],
                "nl": ["vzw", "cv"],
            },
            "name_stems": {
                "fr": ["La Fabrique Commune", "Le Hangar", "La Friche Vivante", "L'Usine à Idées", "Le Quai des Arts"],
                "nl": ["De Loods", "Het Pakhuis", "Broedplaats De Fabriek", "De Werkplaats", "Cultuurhuis De Silo"],
            },
        },
    ],
}

PLACE_NAMES: dict[str, list[str]] = {
    "wallonia": [
        "Val-des-Aulnes",
        "Sart-Lavaux",
        "Bois-Fleuri",
        "Les Hautes-Bruyères",
        "Thier-aux-Cailles",
        "Fond-de-Vaux",
        "Hameau des Forges",
        "Cité du Charbonnage",
        "Rivelaine",
        "Pont-sur-Lesse",
        "Le Trieu",
        "Haut-Sart-la-Croix",
    ],
    "brussels": [
        "Quartier du Canal",
        "Kanaalwijk",
        "Cité des Jardins",
        "Tuinwijk",
        "Quartier de la Gare",
        "Stationswijk",
        "Clos des Tisserands",
        "Weversplein",
        "Plaine des Saules",
        "Wilgenveld",
        "Haut-Pont",
        "Hoogbrug",
    ],
    "flanders": [
        "Heidebeek",
        "Oostervelde",
        "Molenhoek",
        "Kouterbos",
        "Wilgendries",
        "Bremveld",
        "Ter Linden",
        "Elzenhoek",
        "Vlasbeek",
        "Kanaaldijk",
        "Sint-Ariaanswijk",
        "Hoeveveld",
    ],
    "hauts_de_france": [
        "Cité des Corons",
        "Hameau de la Becque",
        "Bois-du-Marais",
        "Fontaine-aux-Tisserands",
        "Cité du Puits n°7",
        "Prés-de-la-Scarpe",
        "Quartier du Beffroi",
        "Sainte-Aldegonde-les-Prés",
        "Hautecourt-sur-Sambre",
        "Val-des-Terrils",
        "Moulin-Neuf",
        "Les Wateringues",
    ],
}


# ---------------------------------------------------------------------------
# 2. Social needs, missions and activities (pole -> language -> sentences)
# ---------------------------------------------------------------------------

SOCIAL_NEEDS: dict[str, dict[str, list[str]]] = {
    "insertion": {
        "fr": [
            "Dans notre bassin d'emploi, beaucoup de personnes sans diplôme restent au chômage de longue durée.",
            "Les jeunes qui ont quitté l'école trop tôt n'ont ni expérience ni réseau pour trouver un premier emploi.",
            "Les personnes en situation de handicap peinent à trouver un travail adapté à leurs capacités.",
            "Après plusieurs années sans emploi, la confiance en soi et les repères du quotidien s'effritent.",
            "Les femmes seules avec enfants cumulent freins à l'emploi : garde, mobilité, horaires.",
            "Sans permis de conduire ni transport en commun, de nombreux emplois restent tout simplement inaccessibles.",
            "Les personnes primo-arrivantes ont des compétences qui ne sont pas reconnues faute de maîtrise de la langue.",
        ],
        "nl": [
            "In onze regio blijven veel mensen zonder diploma langdurig werkloos.",
            "Vroegtijdige schoolverlaters hebben geen ervaring en geen netwerk om een eerste job te vinden.",
            "Mensen met een beperking vinden moeilijk werk dat bij hun mogelijkheden past.",
            "Na jaren zonder werk brokkelen het zelfvertrouwen en het dagritme stilaan af.",
            "Alleenstaande moeders stapelen drempels op: kinderopvang, vervoer, werkuren.",
            "Zonder rijbewijs of openbaar vervoer blijven veel jobs gewoon onbereikbaar.",
            "Nieuwkomers hebben vaardigheden die niet erkend worden omdat ze de taal nog niet beheersen.",
        ],
        "en": [
            "In our labour market area, many people without qualifications remain long-term unemployed.",
            "Early school leavers have neither experience nor a network to find a first job.",
            "People with disabilities struggle to find work suited to their abilities.",
            "After several years without work, self-confidence and daily routines gradually erode.",
            "Single mothers face cumulative barriers to employment: childcare, mobility, working hours.",
            "Without a driving licence or public transport, many jobs are simply out of reach.",
            "Newcomers have skills that go unrecognised because they do not yet master the language.",
        ],
    },
    "solidarite": {
        "fr": [
            "Dans notre commune, les places d'accueil pour les tout-petits sont largement insuffisantes.",
            "De nombreuses personnes âgées vivent seules et risquent de devoir quitter leur domicile trop tôt.",
            "Les familles à bas revenus consacrent une part écrasante de leur budget au logement.",
            "Des jeunes en rupture familiale se retrouvent sans adulte de confiance vers qui se tourner.",
            "Les adultes en situation de handicap ont peu de lieux pour s'épanouir en dehors du domicile familial.",
            "Le nombre de personnes sans abri augmente et les solutions d'hébergement restent saturées.",
            "Beaucoup de ménages renoncent à une alimentation de qualité pour boucler la fin du mois.",
        ],
        "nl": [
            "In onze gemeente zijn er veel te weinig opvangplaatsen voor de allerkleinsten.",
            "Veel ouderen wonen alleen en dreigen hun huis te vroeg te moeten verlaten.",
            "Gezinnen met een laag inkomen geven een overweldigend deel van hun budget uit aan wonen.",
            "Jongeren die thuis breken, staan er alleen voor zonder volwassene die ze kunnen vertrouwen.",
            "Volwassenen met een beperking hebben weinig plekken om zich buiten het ouderlijk huis te ontplooien.",
            "Het aantal daklozen stijgt en de opvangplaatsen zitten voortdurend vol.",
            "Veel gezinnen besparen op gezond eten om de eindjes aan elkaar te knopen.",
        ],
        "en": [
            "In our municipality there are far too few childcare places for the youngest children.",
            "Many older people live alone and risk having to leave their homes too early.",
            "Low-income families spend an overwhelming share of their budget on housing.",
            "Young people who break with their families find themselves without a trusted adult to turn to.",
            "Adults with disabilities have few places to flourish outside the family home.",
            "The number of homeless people is rising and shelter places remain full.",
            "Many households cut back on healthy food to make ends meet.",
        ],
    },
    "autres": {
        "fr": [
            "Les habitants n'ont guère de prise sur la production et le prix de l'énergie qu'ils consomment.",
            "Les petits producteurs locaux peinent à vivre de leur travail face à la grande distribution.",
            "Les citoyens se sentent de plus en plus éloignés des lieux où se prennent les décisions.",
            "Les porteurs de projet exclus du crédit bancaire n'ont aucun moyen de lancer leur activité.",
            "Dans les villages, les commerces et les lieux de rencontre ferment les uns après les autres.",
            "Les objets du quotidien sont jetés alors qu'ils pourraient être réparés à moindre coût.",
            "Sans voiture, se déplacer en zone rurale relève du parcours du combattant.",
        ],
        "nl": [
            "Inwoners hebben nauwelijks vat op de productie en de prijs van de energie die ze verbruiken.",
            "Kleine lokale producenten kunnen moeilijk leven van hun werk tegenover de grote supermarktketens.",
            "Burgers voelen zich steeds verder verwijderd van de plaatsen waar beslissingen genomen worden.",
            "Startende ondernemers die geen bankkrediet krijgen, kunnen hun activiteit niet opstarten.",
            "In de dorpen sluiten winkels en ontmoetingsplekken de een na de ander.",
            "Alledaagse spullen worden weggegooid terwijl ze goedkoop hersteld kunnen worden.",
            "Zonder auto is je verplaatsen op het platteland een echte hindernissenloop.",
        ],
        "en": [
            "Residents have little say over how the energy they use is produced and priced.",
            "Small local producers struggle to make a living against large retail chains.",
            "Citizens feel increasingly removed from the places where decisions are made.",
            "Would-be entrepreneurs excluded from bank credit have no way to start their business.",
            "In villages, shops and meeting places close one after another.",
            "Everyday objects are thrown away when they could be repaired cheaply.",
            "Without a car, getting around in rural areas is an obstacle course.",
        ],
    },
}

MISSIONS: dict[str, dict[str, list[str]]] = {
    "insertion": {
        "fr": [
            "Offrir un emploi durable et adapté à des personnes exclues du marché du travail classique.",
            "Permettre à chaque stagiaire de construire un projet professionnel réaliste et d'accéder à un emploi ou à une formation qualifiante.",
            "Redonner confiance et autonomie aux travailleurs grâce à un encadrement bienveillant et exigeant.",
            "Former aux métiers du bâtiment tout en rénovant des logements pour des familles modestes.",
            "Faire de l'activité économique un levier d'insertion sociale et professionnelle.",
            "Valoriser les compétences de chacun, quel que soit son parcours ou son handicap.",
        ],
        "nl": [
            "Duurzaam en aangepast werk bieden aan mensen die uit de boot vallen op de gewone arbeidsmarkt.",
            "Elke cursist helpen een realistisch beroepsproject uit te bouwen en door te stromen naar werk of een kwalificerende opleiding.",
            "Werknemers opnieuw zelfvertrouwen en zelfstandigheid geven dankzij warme maar duidelijke begeleiding.",
            "Opleiden in bouwberoepen en tegelijk woningen renoveren voor gezinnen met een klein budget.",
            "Economische activiteit inzetten als hefboom voor sociale en professionele inschakeling.",
            "De talenten van iedereen tot hun recht laten komen, ongeacht traject of beperking.",
        ],
        "en": [
            "Provide sustainable, adapted employment to people excluded from the mainstream labour market.",
            "Help every trainee build a realistic career plan and move on to a job or qualifying training.",
            "Restore workers' confidence and autonomy through caring yet demanding supervision.",
            "Train people in building trades while renovating homes for low-income families.",
            "Use economic activity as a lever for social and professional integration.",
            "Value everyone's skills, whatever their background or disability.",
        ],
    },
    "solidarite": {
        "fr": [
            "Garantir à chaque enfant du quartier un accueil de qualité, quelle que soit la situation de ses parents.",
            "Permettre aux personnes âgées de vivre chez elles le plus longtemps possible, en sécurité et entourées.",
            "Donner accès à un logement décent et abordable aux ménages les plus fragiles.",
            "Accompagner les jeunes en difficulté pour qu'ils reprennent leur vie en main.",
            "Offrir aux adultes en situation de handicap un lieu de vie, d'activités et de participation.",
            "Rompre l'isolement et restaurer la dignité des personnes en grande précarité.",
        ],
        "nl": [
            "Elk kind uit de buurt kwaliteitsvolle opvang garanderen, ongeacht de situatie van de ouders.",
            "Ouderen zo lang mogelijk veilig en omringd thuis laten wonen.",
            "De meest kwetsbare gezinnen toegang geven tot een degelijke en betaalbare woning.",
            "Jongeren in moeilijkheden begeleiden zodat ze hun leven weer in eigen handen nemen.",
            "Volwassenen met een beperking een plek bieden om te leven, bezig te zijn en mee te doen.",
            "Het isolement doorbreken en de waardigheid herstellen van mensen in grote armoede.",
        ],
        "en": [
            "Guarantee quality childcare for every child in the neighbourhood, whatever the parents' situation.",
            "Enable older people to live at home as long as possible, safely and with company.",
            "Give the most vulnerable households access to decent, affordable housing.",
            "Support young people in difficulty so that they take their lives back into their own hands.",
            "Offer adults with disabilities a place to live, be active and take part.",
            "Break isolation and restore the dignity of people in extreme poverty.",
        ],
    },
    "autres": {
        "fr": [
            "Rendre aux citoyens la maîtrise de leur énergie en investissant ensemble dans des installations renouvelables.",
            "Assurer un revenu juste aux producteurs locaux et une alimentation saine aux habitants.",
            "Développer l'esprit critique et la capacité d'agir collectivement des citoyens.",
            "Financer les projets de personnes exclues du système bancaire et les accompagner jusqu'à la réussite.",
            "Démontrer qu'une entreprise gérée démocratiquement par ses travailleurs peut être viable et durable.",
            "Faire vivre le territoire en recréant des lieux de rencontre, d'échange et de réparation.",
        ],
        "nl": [
            "Burgers opnieuw zeggenschap geven over hun energie door samen te investeren in hernieuwbare installaties.",
            "Lokale producenten een eerlijk inkomen bezorgen en inwoners gezonde voeding.",
            "Het kritisch denken en de collectieve slagkracht van burgers versterken.",
            "Projecten financieren van mensen die bij de bank uit de boot vallen en hen begeleiden tot het slaagt.",
            "Aantonen dat een bedrijf dat democratisch door zijn werknemers wordt bestuurd, leefbaar en duurzaam kan zijn.",
            "De streek levendig houden door opnieuw plekken te creëren om elkaar te ontmoeten, uit te wisselen en te herstellen.",
        ],
        "en": [
            "Give citizens control over their energy by investing together in renewable installations.",
            "Ensure a fair income for local producers and healthy food for residents.",
            "Develop citizens' critical thinking and capacity for collective action.",
            "Finance projects by people excluded from banking and support them until they succeed.",
            "Show that a company democratically run by its workers can be viable and sustainable.",
            "Keep the area alive by recreating places to meet, exchange and repair.",
        ],
    },
}

ACTIVITIES: dict[str, dict[str, list[str]]] = {
    "insertion": {
        "fr": [
            "Nous entretenons les espaces verts de communes et d'entreprises avec des équipes encadrées par un chef d'équipe-formateur.",
            "Nous proposons des formations de six à dix-huit mois en cuisine, en vente et en logistique, avec stages en entreprise.",
            "Nos ateliers assurent du conditionnement et de l'assemblage en sous-traitance pour des entreprises de la région.",
            "Un accompagnement social individuel aide chaque travailleur à régler ses démarches de logement, de santé ou de mobilité.",
            "Nous collectons, trions et revendons à petit prix des meubles, vêtements et appareils dans nos magasins de seconde main.",
            "Nous organisons des modules de préparation au permis de conduire et des cours de français langue étrangère.",
            "Nos équipes rénovent des logements sociaux : isolation, peinture, menuiserie et petites installations sanitaires.",
        ],
        "nl": [
            "We onderhouden groenzones voor gemeenten en bedrijven met ploegen onder leiding van een werkleider-opleider.",
            "We bieden opleidingen van zes tot achttien maanden in keuken, verkoop en logistiek, met stages in bedrijven.",
            "In onze ateliers doen we verpakkings- en assemblagewerk in onderaanneming voor bedrijven uit de streek.",
            "Een individuele sociale begeleiding helpt elke werknemer met zijn zaken rond wonen, gezondheid of vervoer.",
            "We halen meubels, kleding en toestellen op, sorteren ze en verkopen ze goedkoop in onze kringloopwinkels.",
            "We organiseren lessen om het rijbewijs te halen en cursussen Nederlands als tweede taal.",
            "Onze ploegen renoveren sociale woningen: isolatie, schilderwerk, schrijnwerk en kleine sanitaire werken.",
        ],
        "en": [
            "We maintain green spaces for municipalities and companies with teams led by a supervisor-trainer.",
            "We offer six- to eighteen-month training courses in cooking, retail and logistics, with company placements.",
            "Our workshops carry out subcontracted packaging and assembly for local companies.",
            "Individual social support helps each worker sort out housing, health or mobility issues.",
            "We collect, sort and resell furniture, clothes and appliances at low prices in our second-hand shops.",
            "We run driving-licence preparation modules and language classes for non-native speakers.",
            "Our teams renovate social housing: insulation, painting, joinery and small plumbing jobs.",
        ],
    },
    "solidarite": {
        "fr": [
            "Notre crèche accueille quarante enfants de zéro à trois ans, avec des places réservées aux familles en réinsertion.",
            "Des aides familiales et des aides-soignantes se rendent chaque jour au domicile des personnes âgées.",
            "Nous prenons en gestion des logements privés pour les louer à loyer modéré à des ménages à faibles revenus.",
            "Nos éducateurs vont à la rencontre des jeunes dans la rue, à l'école et au local du quartier.",
            "Le centre de jour propose des ateliers créatifs, sportifs et de cuisine aux adultes en situation de handicap.",
            "Nous ouvrons un accueil de nuit et un accueil de jour avec douches, repas et permanence sociale.",
            "Notre épicerie sociale vend des produits frais à prix réduit et anime des ateliers cuisine et budget.",
        ],
        "nl": [
            "Ons kinderdagverblijf vangt veertig kinderen van nul tot drie jaar op, met plaatsen voorbehouden voor gezinnen in een moeilijke situatie.",
            "Verzorgenden en gezinshelpers gaan elke dag bij ouderen aan huis.",
            "We nemen privéwoningen in beheer om ze tegen een betaalbare huur te verhuren aan gezinnen met een laag inkomen.",
            "Onze straathoekwerkers zoeken jongeren op op straat, op school en in het buurtlokaal.",
            "Het dagcentrum biedt creatieve, sportieve en kookateliers aan voor volwassenen met een beperking.",
            "We openen een nachtopvang en een dagcentrum met douches, maaltijden en een sociale permanentie.",
            "Onze sociale kruidenier verkoopt verse producten aan verlaagde prijzen en organiseert kook- en budgetateliers.",
        ],
        "en": [
            "Our crèche looks after forty children aged zero to three, with places reserved for families in difficulty.",
            "Home helps and care assistants visit older people at home every day.",
            "We take over the management of private homes to rent them at moderate rents to low-income households.",
            "Our youth workers meet young people on the street, at school and in the neighbourhood centre.",
            "The day centre offers creative, sports and cooking workshops for adults with disabilities.",
            "We run a night shelter and a day centre with showers, meals and a social advice desk.",
            "Our social grocery sells fresh products at reduced prices and runs cooking and budgeting workshops.",
        ],
    },
    "autres": {
        "fr": [
            "Nous installons des panneaux solaires sur les toits d'écoles et de salles communales, financés par l'épargne des coopérateurs.",
            "Nous regroupons les commandes des habitants et organisons chaque semaine une distribution de paniers de producteurs locaux.",
            "Nous animons des cycles de débats, des ateliers d'écriture et des formations à la prise de parole publique.",
            "Nous accordons des microcrédits de mille à quinze mille euros et suivons chaque emprunteur pendant deux ans.",
            "Les travailleurs-associés décident ensemble, en assemblée, des investissements et de la répartition des bénéfices.",
            "Un atelier de réparation ouvert à tous accueille chaque samedi des bénévoles bricoleurs et des habitants.",
            "Nous mettons à disposition des voitures et des vélos électriques partagés dans les villages mal desservis.",
        ],
        "nl": [
            "We leggen zonnepanelen op daken van scholen en gemeentezalen, gefinancierd met het spaargeld van de coöperanten.",
            "We bundelen de bestellingen van inwoners en verdelen elke week pakketten van lokale boeren.",
            "We organiseren debatreeksen, schrijfateliers en trainingen in spreken voor publiek.",
            "We verstrekken microkredieten van duizend tot vijftienduizend euro en volgen elke ontlener twee jaar lang op.",
            "De werknemers-vennoten beslissen samen, in de algemene vergadering, over investeringen en winstverdeling.",
            "Elke zaterdag ontvangt een open herstelatelier vrijwillige klusjesmensen en buurtbewoners.",
            "We stellen deelauto's en elektrische deelfietsen ter beschikking in slecht bediende dorpen.",
        ],
        "en": [
            "We install solar panels on the roofs of schools and community halls, financed by members' savings.",
            "We pool residents' orders and distribute boxes from local farmers every week.",
            "We run debate series, writing workshops and public-speaking training.",
            "We grant microloans of one to fifteen thousand euros and follow each borrower for two years.",
            "Worker-members decide together, in the general assembly, on investments and profit sharing.",
            "Every Saturday an open repair workshop welcomes handy volunteers and local residents.",
            "We provide shared cars and electric bikes in poorly served villages.",
        ],
    },
}


# ---------------------------------------------------------------------------
# 3. Impact-chain elements (pole -> level -> elements)
# ---------------------------------------------------------------------------


def _el(fr: str, nl: str, en: str, dimensions: list[str], stakeholders: list[str]) -> dict[str, Any]:
    """Build one impact-chain element (tiny helper to keep the data readable)."""
    return {
        "label": {"fr": fr, "nl": nl, "en": en},
        "dimensions": dimensions,
        "stakeholders": stakeholders,
    }


CHAIN_ELEMENTS: dict[str, dict[str, list[dict[str, Any]]]] = {
    "insertion": {
        "resource": [
            _el("Encadrants formés à l'accompagnement", "Opgeleide werkleiders en begeleiders",
                "Supervisors trained in support work", ["social", "economic"], ["workers"]),
            _el("Subsides à l'emploi et à la formation", "Loonsubsidies en opleidingsmiddelen",
                "Employment and training subsidies", ["economic"], ["funders", "public_bodies"]),
            _el("Atelier équipé et véhicules utilitaires", "Uitgeruste werkplaats en bestelwagens",
                "Equipped workshop and utility vehicles", ["economic"], ["workers"]),
            _el("Réseau d'entreprises partenaires pour les stages", "Netwerk van partnerbedrijven voor stages",
                "Network of partner companies for placements", ["economic", "territorial"], ["clients", "territory"]),
            _el("Chiffre d'affaires des prestations vendues", "Omzet uit verkochte diensten",
                "Revenue from services sold", ["economic"], ["clients"]),
        ],
        "activity": [
            _el("Travail encadré sur de vrais chantiers", "Begeleid werk op echte werven",
                "Supervised work on real sites", ["economic", "social"], ["workers", "people_supported"]),
            _el("Accompagnement social individuel", "Individuele sociale begeleiding",
                "Individual social support", ["social"], ["people_supported"]),
            _el("Formations techniques et savoir-être", "Technische opleiding en attitudetraining",
                "Technical and soft-skills training", ["social", "economic"], ["people_supported"]),
            _el("Préparation au permis de conduire", "Voorbereiding op het rijbewijs",
                "Driving licence preparation", ["social", "territorial"], ["people_supported"]),
            _el("Recherche d'emploi accompagnée en fin de parcours", "Begeleid solliciteren op het einde van het traject",
                "Supported job search at the end of the pathway", ["economic", "social"], ["people_supported", "clients"]),
        ],
        "output": [
            _el("Heures de travail et de formation prestées", "Gepresteerde werk- en opleidingsuren",
                "Hours of work and training completed", ["economic"], ["workers", "people_supported"]),
            _el("Personnes accompagnées chaque année", "Aantal begeleide personen per jaar",
                "People supported each year", ["social"], ["people_supported", "funders"]),
            _el("Permis de conduire obtenus", "Behaalde rijbewijzen",
                "Driving licences obtained", ["social", "territorial"], ["people_supported"]),
            _el("Chantiers réalisés pour des clients locaux", "Uitgevoerde opdrachten voor lokale klanten",
                "Jobs completed for local clients", ["economic", "territorial"], ["clients", "territory"]),
            _el("Attestations de compétences délivrées", "Uitgereikte competentieattesten",
                "Skills certificates issued", ["social", "economic"], ["people_supported"]),
        ],
        "outcome": [
            _el("Confiance en soi retrouvée", "Herwonnen zelfvertrouwen",
                "Regained self-confidence", ["social"], ["people_supported", "workers"]),
            _el("Meilleure santé physique et mentale", "Betere fysieke en mentale gezondheid",
                "Better physical and mental health", ["social"], ["workers"]),
            _el("Réseau social et professionnel élargi", "Groter sociaal en professioneel netwerk",
                "Wider social and professional network", ["social", "territorial"], ["people_supported"]),
            _el("Accès à un emploi durable ou une formation", "Doorstroom naar duurzaam werk of opleiding",
                "Access to lasting employment or training", ["economic", "social"], ["people_supported"]),
            _el("Meilleure connaissance des services publics", "Betere kennis van openbare diensten",
                "Better knowledge of public services", ["social", "political"], ["people_supported", "public_bodies"]),
        ],
        "impact": [
            _el("Recul du chômage de longue durée", "Minder langdurige werkloosheid in de streek",
                "Less long-term unemployment locally", ["economic", "territorial"], ["territory", "public_bodies"]),
            _el("Employeurs qui changent de regard sur les publics fragilisés", "Werkgevers kijken anders naar kwetsbare groepen",
                "Employers see vulnerable groups differently", ["political", "social"], ["clients", "territory"]),
            _el("Moindre dépendance aux allocations sociales", "Minder afhankelijkheid van uitkeringen",
                "Less dependence on social benefits", ["economic"], ["public_bodies", "people_supported"]),
            _el("Inclusion durable dans la vie sociale", "Duurzame deelname aan het maatschappelijk leven",
                "Lasting inclusion in social life", ["social"], ["people_supported", "territory"]),
            _el("Moins de déchets grâce au réemploi", "Minder afval dankzij hergebruik",
                "Less waste thanks to reuse", ["environmental"], ["territory"]),
        ],
    },
    "solidarite": {
        "resource": [
            _el("Personnel soignant et éducatif qualifié", "Gekwalificeerd zorg- en opvoedend personeel",
                "Qualified care and educational staff", ["social"], ["workers"]),
            _el("Agréments et subventions des pouvoirs publics", "Erkenningen en subsidies van de overheid",
                "Public approvals and subsidies", ["economic", "political"], ["public_bodies", "funders"]),
            _el("Bénévoles engagés dans l'accueil", "Vrijwilligers die mee onthalen",
                "Volunteers involved in welcoming people", ["social"], ["volunteers"]),
            _el("Bâtiments et logements mis à disposition", "Gebouwen en woningen ter beschikking gesteld",
                "Buildings and homes made available", ["economic", "territorial"], ["public_bodies", "territory"]),
            _el("Participation financière des familles", "Financiële bijdrage van de gezinnen",
                "Financial contribution from families", ["economic"], ["people_supported"]),
        ],
        "activity": [
            _el("Accueil quotidien des enfants", "Dagelijkse opvang van kinderen",
                "Daily care for young children", ["social"], ["people_supported"]),
            _el("Visites et soins à domicile", "Huisbezoeken en thuisverzorging",
                "Home visits and care", ["social"], ["people_supported", "workers"]),
            _el("Accompagnement vers et dans le logement", "Begeleiding bij het vinden en behouden van een woning",
                "Support to find and keep housing", ["social"], ["people_supported"]),
            _el("Ateliers collectifs et sorties", "Groepsateliers en uitstappen",
                "Group workshops and outings", ["social", "territorial"], ["people_supported", "volunteers"]),
            _el("Permanence sociale et orientation", "Sociale permanentie en doorverwijzing",
                "Social advice desk and referral", ["social", "political"], ["people_supported", "public_bodies"]),
        ],
        "output": [
            _el("Places d'accueil occupées par jour", "Bezette opvangplaatsen per dag",
                "Care places occupied per day", ["social"], ["people_supported", "funders"]),
            _el("Heures d'aide à domicile prestées", "Gepresteerde uren thuishulp",
                "Hours of home help delivered", ["social", "economic"], ["people_supported", "workers"]),
            _el("Logements loués à loyer modéré", "Woningen verhuurd tegen betaalbare huur",
                "Homes let at moderate rent", ["economic", "social"], ["people_supported", "territory"]),
            _el("Personnes orientées vers d'autres services", "Personen doorverwezen naar andere diensten",
                "People referred to other services", ["social", "political"], ["people_supported", "public_bodies"]),
            _el("Heures de bénévolat mobilisées", "Ingezette vrijwilligersuren",
                "Volunteer hours mobilised", ["social"], ["volunteers"]),
        ],
        "outcome": [
            _el("Isolement social réduit", "Minder sociaal isolement",
                "Reduced social isolation", ["social"], ["people_supported"]),
            _el("Maintien à domicile prolongé", "Langer thuis blijven wonen",
                "Longer independent living at home", ["social"], ["people_supported"]),
            _el("Parents disponibles pour travailler ou se former", "Ouders vrij om te werken of te studeren",
                "Parents free to work or train", ["economic", "social"], ["people_supported"]),
            _el("Meilleur accès aux droits sociaux", "Betere toegang tot sociale rechten",
                "Better access to social rights", ["political", "social"], ["people_supported", "public_bodies"]),
            _el("Sentiment de sécurité et de dignité", "Gevoel van veiligheid en waardigheid",
                "Sense of safety and dignity", ["social"], ["people_supported"]),
        ],
        "impact": [
            _el("Moins d'inégalités dès la petite enfance", "Minder ongelijkheid vanaf de vroegste kindertijd",
                "Fewer inequalities from early childhood", ["social", "political"], ["territory"]),
            _el("Cohésion sociale renforcée dans le quartier", "Sterkere sociale samenhang in de wijk",
                "Stronger social cohesion in the neighbourhood", ["social", "territorial"], ["territory"]),
            _el("Recul du sans-abrisme chronique", "Minder chronische dakloosheid",
                "Less chronic homelessness", ["social"], ["territory", "public_bodies"]),
            _el("Politiques publiques mieux adaptées aux besoins", "Beleid beter afgestemd op de noden",
                "Public policies better matched to needs", ["political"], ["public_bodies"]),
            _el("Économies pour la sécurité sociale et les hôpitaux", "Besparingen voor sociale zekerheid en ziekenhuizen",
                "Savings for social security and hospitals", ["economic"], ["public_bodies"]),
        ],
    },
    "autres": {
        "resource": [
            _el("Capital souscrit par les coopérateurs", "Kapitaal ingebracht door de coöperanten",
                "Capital subscribed by members", ["economic"], ["funders", "territory"]),
            _el("Bénévoles et administrateurs engagés", "Geëngageerde vrijwilligers en bestuurders",
                "Committed volunteers and board members", ["social", "political"], ["volunteers"]),
            _el("Partenariats avec les producteurs locaux", "Samenwerking met lokale producenten",
                "Partnerships with local producers", ["economic", "territorial"], ["suppliers"]),
            _el("Toitures et terrains mis à disposition", "Daken en terreinen ter beschikking gesteld",
                "Roofs and land made available", ["environmental", "territorial"], ["public_bodies"]),
            _el("Savoir-faire technique des travailleurs", "Technische knowhow van de werknemers",
                "Workers' technical know-how", ["economic"], ["workers"]),
        ],
        "activity": [
            _el("Production d'électricité renouvelable", "Productie van hernieuwbare stroom",
                "Renewable electricity generation", ["environmental", "economic"], ["clients", "territory"]),
            _el("Distribution hebdomadaire de paniers locaux", "Wekelijkse verdeling van lokale pakketten",
                "Weekly distribution of local produce boxes", ["economic", "environmental"], ["clients", "suppliers"]),
            _el("Ateliers d'éducation permanente", "Vormingsateliers voor volwassenen",
                "Popular education workshops", ["political", "social"], ["people_supported"]),
            _el("Octroi et suivi de microcrédits", "Toekenning en opvolging van microkredieten",
                "Granting and monitoring microloans", ["economic"], ["people_supported"]),
            _el("Assemblées générales participatives", "Participatieve algemene vergaderingen",
                "Participatory general assemblies", ["political"], ["workers", "funders"]),
        ],
        "output": [
            _el("Mégawattheures produites et vendues", "Geproduceerde en verkochte megawattuur",
                "Megawatt-hours produced and sold", ["environmental", "economic"], ["clients"]),
            _el("Part des achats auprès de fournisseurs locaux", "Aandeel aankopen bij lokale leveranciers",
                "Share of purchases from local suppliers", ["economic", "territorial"], ["suppliers", "territory"]),
            _el("Nombre de coopérateurs présents aux votes", "Aantal coöperanten dat mee stemt",
                "Number of members taking part in votes", ["political"], ["funders", "workers"]),
            _el("Crédits accordés et remboursés", "Toegekende en terugbetaalde kredieten",
                "Loans granted and repaid", ["economic"], ["people_supported", "funders"]),
            _el("Objets réparés plutôt que jetés", "Herstelde in plaats van weggegooide spullen",
                "Items repaired instead of thrown away", ["environmental"], ["clients", "volunteers"]),
        ],
        "outcome": [
            _el("Revenu plus juste pour les producteurs", "Eerlijker inkomen voor producenten",
                "Fairer income for producers", ["economic"], ["suppliers"]),
            _el("Citoyens plus impliqués dans la vie publique", "Burgers meer betrokken bij het openbare leven",
                "Citizens more involved in public life", ["political"], ["people_supported", "territory"]),
            _el("Entreprises créées et toujours actives", "Opgerichte zaken die nog actief zijn",
                "Businesses created and still running", ["economic"], ["people_supported"]),
            _el("Sentiment d'utilité chez les bénévoles", "Vrijwilligers voelen zich nuttig",
                "Volunteers feel useful", ["social"], ["volunteers"]),
            _el("Travailleurs associés aux décisions", "Werknemers betrokken bij beslissingen",
                "Workers involved in decisions", ["political", "social"], ["workers"]),
        ],
        "impact": [
            _el("Transition énergétique portée par les habitants", "Energietransitie gedragen door de inwoners",
                "Citizen-led energy transition", ["environmental", "political"], ["territory"]),
            _el("Économie locale plus résiliente", "Veerkrachtigere lokale economie",
                "More resilient local economy", ["economic", "territorial"], ["territory"]),
            _el("Démocratie locale revitalisée", "Nieuw leven in de lokale democratie",
                "Revitalised local democracy", ["political"], ["territory", "public_bodies"]),
            _el("Baisse des émissions de gaz à effet de serre", "Minder uitstoot van broeikasgassen",
                "Lower greenhouse gas emissions", ["environmental"], ["territory"]),
            _el("Villages plus vivants et mieux reliés", "Levendigere en beter bereikbare dorpen",
                "Livelier, better connected villages", ["territorial", "social"], ["territory"]),
        ],
    },
}


# ---------------------------------------------------------------------------
# 4. Evaluative questions (pole -> questions)
# ---------------------------------------------------------------------------


def _q(
    fr: str,
    nl: str,
    en: str,
    purpose: str,
    dimensions: list[str],
    stakeholders: list[str],
    indicator_codes: list[str],
) -> dict[str, Any]:
    """Build one evaluative question (tiny helper to keep the data readable)."""
    return {
        "text": {"fr": fr, "nl": nl, "en": en},
        "purpose": purpose,
        "dimensions": dimensions,
        "stakeholders": stakeholders,
        "indicator_codes": indicator_codes,
    }


EVALUATIVE_QUESTIONS: dict[str, list[dict[str, Any]]] = {
    "insertion": [
        _q("Est-ce que travailler chez nous renforce le bien-être et l'autonomie des travailleurs en insertion ?",
           "Versterkt werken bij ons het welzijn en de zelfstandigheid van de doelgroepwerknemers?",
           "Does working with us strengthen the well-being and autonomy of workers in integration?",
           "improve", ["social"], ["workers"],
           ["wellbeing_index", "self_confidence", "driving_licence"]),
        _q("Nos stagiaires trouvent-ils un emploi ou une formation à la fin de leur parcours ?",
           "Vinden onze cursisten na hun traject werk of een opleiding?",
           "Do our trainees find a job or further training when they finish their pathway?",
           "account", ["economic", "social"], ["people_supported", "funders"],
           ["positive_exit", "driving_licence", "network_size"]),
        _q("En quoi notre accompagnement élargit-il le réseau social des personnes accompagnées ?",
           "Hoe vergroot onze begeleiding het sociale netwerk van de deelnemers?",
           "How does our support widen the social network of the people we support?",
           "improve", ["social", "territorial"], ["people_supported"],
           ["network_size", "services_known", "self_confidence"]),
        _q("Les personnes connaissent-elles mieux leurs droits et les services publics après leur passage chez nous ?",
           "Kennen mensen hun rechten en de openbare diensten beter na hun traject bij ons?",
           "Do people know their rights and public services better after their time with us?",
           "advocacy", ["political", "social"], ["people_supported", "public_bodies"],
           ["services_known", "self_confidence"]),
        _q("Nos travailleurs se sentent-ils reconnus et utiles dans leur travail ?",
           "Voelen onze werknemers zich erkend en nuttig in hun werk?",
           "Do our workers feel recognised and useful in their work?",
           "improve", ["social"], ["workers"],
           ["recognition", "sense_of_purpose", "satisfaction"]),
        _q("Nos clients sont-ils satisfaits de nos prestations et reconnaissent-ils le savoir-faire de nos équipes ?",
           "Zijn onze klanten tevreden over ons werk en erkennen ze het vakmanschap van onze ploegen?",
           "Are our clients satisfied with our services and do they recognise our teams' skills?",
           "account", ["economic"], ["clients"],
           ["satisfaction", "recognition"]),
        _q("Les travailleurs participent-ils réellement aux décisions qui concernent leur atelier ?",
           "Beslissen de werknemers echt mee over wat hun atelier aanbelangt?",
           "Do workers really take part in decisions about their workshop?",
           "mobilise", ["political", "social"], ["workers"],
           ["participation_decisions", "recognition", "sense_of_purpose"]),
        _q("Comment montrer aux pouvoirs publics que l'insertion améliore durablement la santé des travailleurs ?",
           "Hoe tonen we de overheid dat inschakeling de gezondheid van werknemers duurzaam verbetert?",
           "How can we show public authorities that work integration lastingly improves workers' health?",
           "advocacy", ["social", "political"], ["workers", "public_bodies"],
           ["wellbeing_index", "self_confidence"]),
    ],
    "solidarite": [
        _q("Notre présence à domicile aide-t-elle les personnes âgées à rester chez elles en se sentant bien ?",
           "Helpt onze thuiszorg ouderen om zich goed te voelen en thuis te blijven wonen?",
           "Does our home care help older people feel well and stay in their own homes?",
           "improve", ["social"], ["people_supported"],
           ["wellbeing_index", "satisfaction", "network_size"]),
        _q("Les familles accueillies connaissent-elles mieux les services et les aides auxquels elles ont droit ?",
           "Kennen de gezinnen die we opvangen beter de diensten en steun waar ze recht op hebben?",
           "Do the families we welcome know more about the services and support they are entitled to?",
           "account", ["political", "social"], ["people_supported", "public_bodies"],
           ["services_known", "satisfaction"]),
        _q("Nos activités collectives réduisent-elles l'isolement des personnes accueillies ?",
           "Doorbreken onze groepsactiviteiten het isolement van de deelnemers?",
           "Do our group activities reduce the isolation of the people we welcome?",
           "improve", ["social", "territorial"], ["people_supported"],
           ["network_size", "self_confidence", "wellbeing_index"]),
        _q("Les bénévoles trouvent-ils du sens et de la reconnaissance dans leur engagement ?",
           "Vinden vrijwilligers zingeving en erkenning in hun engagement?",
           "Do volunteers find meaning and recognition in their commitment?",
           "mobilise", ["social"], ["volunteers"],
           ["sense_of_purpose", "recognition", "volunteer_hours"]),
        _q("Comment démontrer aux pouvoirs publics que l'accompagnement au logement évite des crises coûteuses ?",
           "Hoe tonen we de overheid aan dat woonbegeleiding dure crisissituaties voorkomt?",
           "How can we show public authorities that housing support prevents costly crises?",
           "advocacy", ["political", "economic"], ["public_bodies", "people_supported"],
           ["positive_exit", "services_known", "wellbeing_index"]),
        _q("Les jeunes que nous accompagnons ont-ils davantage confiance en eux et en l'avenir ?",
           "Hebben de jongeren die we begeleiden meer vertrouwen in zichzelf en in de toekomst?",
           "Do the young people we support have more confidence in themselves and in the future?",
           "improve", ["social"], ["people_supported"],
           ["self_confidence", "network_size", "sense_of_purpose"]),
        _q("Les parents sont-ils associés aux décisions qui concernent l'accueil de leur enfant ?",
           "Worden ouders betrokken bij de beslissingen over de opvang van hun kind?",
           "Are parents involved in decisions about their child's care?",
           "mobilise", ["political"], ["people_supported", "clients"],
           ["participation_decisions", "satisfaction"]),
        _q("Notre personnel se sent-il soutenu et reconnu dans un métier éprouvant ?",
           "Voelt ons personeel zich gesteund en erkend in een zwaar beroep?",
           "Do our staff feel supported and recognised in a demanding job?",
           "improve", ["social"], ["workers"],
           ["recognition", "wellbeing_index", "satisfaction"]),
    ],
    "autres": [
        _q("Quelle part de nos achats profite réellement aux producteurs et fournisseurs du territoire ?",
           "Welk deel van onze aankopen komt echt ten goede aan producenten en leveranciers uit de streek?",
           "What share of our purchases really benefits local producers and suppliers?",
           "account", ["economic", "territorial"], ["suppliers", "territory"],
           ["local_purchases_share", "satisfaction"]),
        _q("Nos coopérateurs se sentent-ils vraiment associés aux décisions de la coopérative ?",
           "Voelen onze coöperanten zich echt betrokken bij de beslissingen van de coöperatie?",
           "Do our members feel genuinely involved in the cooperative's decisions?",
           "improve", ["political"], ["funders", "workers"],
           ["participation_decisions", "satisfaction", "sense_of_purpose"]),
        _q("Combien d'heures de bénévolat notre projet mobilise-t-il, et les bénévoles y trouvent-ils leur compte ?",
           "Hoeveel vrijwilligersuren brengt ons project op de been, en vinden de vrijwilligers er hun gading in?",
           "How many volunteer hours does our project mobilise, and do volunteers get something out of it?",
           "mobilise", ["social", "territorial"], ["volunteers"],
           ["volunteer_hours", "sense_of_purpose", "recognition"]),
        _q("Nos ateliers d'éducation permanente renforcent-ils la capacité des participants à prendre la parole et à agir ?",
           "Versterken onze vormingsateliers het vermogen van deelnemers om het woord te nemen en in actie te komen?",
           "Do our popular education workshops strengthen participants' ability to speak up and act?",
           "advocacy", ["political", "social"], ["people_supported"],
           ["self_confidence", "participation_decisions", "network_size"]),
        _q("Les entrepreneurs financés par microcrédit ont-ils développé une activité viable et un réseau professionnel ?",
           "Hebben ondernemers met een microkrediet een leefbare zaak en een professioneel netwerk uitgebouwd?",
           "Have microcredit-funded entrepreneurs built a viable business and a professional network?",
           "account", ["economic"], ["people_supported", "funders"],
           ["positive_exit", "network_size", "self_confidence"]),
        _q("Les travailleurs-associés trouvent-ils plus de sens et de reconnaissance que dans une entreprise classique ?",
           "Vinden de werknemers-vennoten meer zingeving en erkenning dan in een klassiek bedrijf?",
           "Do worker-members find more meaning and recognition than in a conventional company?",
           "advocacy", ["social", "political"], ["workers"],
           ["sense_of_purpose", "recognition", "participation_decisions", "wellbeing_index"]),
        _q("Les usagers de nos voitures partagées ont-ils gagné en autonomie dans leurs déplacements ?",
           "Zijn de gebruikers van onze deelauto's zelfstandiger geworden in hun verplaatsingen?",
           "Have our car-sharing users become more independent in getting around?",
           "improve", ["territorial", "social"], ["clients"],
           ["driving_licence", "satisfaction", "services_known"]),
        _q("Les habitants sont-ils satisfaits des circuits courts et prêts à s'y engager davantage ?",
           "Zijn de inwoners tevreden over de korte keten en bereid zich er meer voor in te zetten?",
           "Are residents satisfied with short food chains and willing to get more involved?",
           "mobilise", ["economic", "environmental"], ["clients", "territory"],
           ["satisfaction", "local_purchases_share", "volunteer_hours"]),
    ],
}


# ---------------------------------------------------------------------------
# 5. Verbatims (dimension -> language -> first-person testimonies)
# ---------------------------------------------------------------------------

VERBATIMS: dict[str, dict[str, list[str]]] = {
    "economic": {
        "fr": [
            "Avec mon contrat ici, j'ai enfin pu payer mes factures à temps. Ça faisait des années que ça n'était plus arrivé.",
            "Le salaire n'est pas énorme, hein, mais au moins c'est un vrai salaire, plus une allocation.",
            "J'ai appris à faire un devis, à parler aux clients. Ça, personne ne me l'enlèvera.",
            "Grâce au microcrédit, j'ai pu acheter ma camionnette et lancer mon petit commerce sur les marchés.",
            "On achète chez le fermier d'à côté. C'est un peu plus cher, mais on sait où va l'argent.",
            "Franchement, les fins de mois restent dures. Le travail, c'est bien, mais le loyer a encore augmenté.",
            "Je suis sorti avec un CDI chez un client de l'atelier. Je n'y croyais pas moi-même.",
            "Depuis que je suis coopérateur, ma facture d'électricité a baissé, et en plus je touche un petit dividende.",
            "Le contrat se termine dans six mois et je ne sais pas ce qui m'attend après. Ça m'inquiète un peu.",
            "À l'épicerie sociale, je paie la moitié du prix. Pour les enfants, ça change tout.",
            "Mon patron de stage m'a dit qu'il me reprendrait s'il avait du budget. On verra bien.",
            "Avant, je pensais que l'économie c'était pour les banquiers. Ici, on décide ensemble de ce qu'on fait des bénéfices.",
            "Comme la crèche prend ma fille tous les jours, j'ai pu accepter un temps plein.",
            "On travaille bien, mais les commandes sont irrégulières et certains après-midi on n'a rien à faire.",
        ],
        "nl": [
            "Met mijn contract hier kan ik eindelijk mijn rekeningen op tijd betalen. Dat was al jaren niet meer gelukt.",
            "Het loon is niet veel, maar het is tenminste een echt loon en geen uitkering meer.",
            "Ik heb geleerd hoe je een offerte maakt en met klanten praat. Dat pakt niemand mij nog af.",
            "Dankzij het microkrediet kon ik een bestelwagen kopen en met mijn kraam op de markt beginnen.",
            "We kopen bij de boer hiernaast. Iets duurder, maar je weet tenminste waar je geld naartoe gaat.",
            "Eerlijk? Het einde van de maand blijft zwaar. Werken is goed, maar de huur is weer omhooggegaan.",
            "Ik ben hier vertrokken met een vast contract bij een klant van het atelier. Ik kon het zelf niet geloven.",
            "Sinds ik coöperant ben, is mijn energiefactuur gezakt, en ik krijg er nog een klein dividend bij.",
            "Mijn contract loopt over zes maanden af en ik weet niet wat er daarna komt. Dat maakt me wat ongerust.",
            "In de sociale kruidenier betaal ik de helft. Voor de kinderen maakt dat echt een verschil.",
            "Mijn stagebaas zei dat hij me zou aannemen als er budget is. We zien wel.",
            "Vroeger dacht ik dat economie iets voor bankiers was. Hier beslissen we samen wat we met de winst doen.",
            "Omdat mijn dochter elke dag naar de crèche kan, heb ik een voltijdse job kunnen aannemen.",
            "We werken goed, maar de bestellingen komen onregelmatig binnen en sommige namiddagen zitten we zonder werk.",
        ],
    },
    "social": {
        "fr": [
            "Avant, je ne sortais plus de chez moi. Ici j'ai retrouvé des collègues, presque une famille.",
            "Le matin, j'ai une raison de me lever. Ça paraît bête, mais ça m'a sauvé.",
            "Ma fille est fière de dire que sa maman travaille. Ça, ça n'a pas de prix.",
            "L'aide familiale vient tous les jours. Souvent, c'est la seule personne à qui je parle de la journée.",
            "Au début j'avais peur de parler devant le groupe. Maintenant c'est moi qui accueille les nouveaux.",
            "On rigole bien, mais quand il y a des tensions dans l'équipe, ce n'est pas toujours facile à vivre.",
            "L'éducatrice m'a aidé à reprendre contact avec ma mère. On ne se parlait plus depuis deux ans.",
            "Je dors mieux, je fume moins. Travailler dehors, ça m'a fait du bien.",
            "Ici, personne ne me regarde comme « le handicapé ». Je suis juste celui qui répare les vélos.",
            "C'est dur de partir à la fin du contrat : on perd les collègues du jour au lendemain.",
            "Être bénévole ici, ça m'a redonné une place depuis la retraite.",
            "On m'écoute vraiment. La première fois qu'on m'a demandé mon avis, j'ai failli pleurer.",
            "Parfois je me sens encore un peu à part, surtout quand je ne comprends pas tout en réunion.",
            "À la crèche, les enfants jouent ensemble, et des parents qui ne se seraient jamais parlé finissent par prendre un café.",
        ],
        "nl": [
            "Vroeger kwam ik mijn huis niet meer uit. Hier heb ik collega's gevonden, bijna een familie.",
            "'s Morgens heb ik een reden om op te staan. Klinkt stom, maar het heeft me gered.",
            "Mijn dochter is fier dat haar mama gaat werken. Dat is onbetaalbaar.",
            "De verzorgster komt elke dag. Vaak is zij de enige met wie ik die dag praat.",
            "In het begin durfde ik niks te zeggen in de groep. Nu ben ik degene die de nieuwe mensen ontvangt.",
            "We lachen veel, maar als er spanningen zijn in de ploeg, is dat niet altijd makkelijk.",
            "Mijn begeleider heeft me geholpen om terug contact te zoeken met mijn moeder. We spraken al twee jaar niet meer.",
            "Ik slaap beter en ik rook minder. Buiten werken doet me deugd.",
            "Hier kijkt niemand naar mij als 'die met een beperking'. Ik ben gewoon de gast die de fietsen herstelt.",
            "Het is hard als je contract afloopt: van de ene dag op de andere zie je je collega's niet meer.",
            "Vrijwilliger zijn hier heeft me sinds mijn pensioen terug een plaats gegeven.",
            "Hier luisteren ze echt. De eerste keer dat iemand naar mijn mening vroeg, moest ik bijna wenen.",
            "Soms voel ik me nog wat apart, vooral als ik niet alles versta in de vergadering.",
            "In de crèche spelen de kinderen samen, en zo drinken ouders een koffie die anders nooit een woord zouden wisselen.",
        ],
    },
    "political": {
        "fr": [
            "Je ne savais même pas que j'avais droit à une aide pour le loyer. Maintenant je sais où aller.",
            "À l'assemblée générale, ma voix compte autant que celle du directeur. Au début, ça m'a surpris.",
            "On a été reçus à la commune pour parler du manque de places en crèche. Pour une fois, on nous a écoutés.",
            "Les réunions du personnel, c'est bien, mais les vraies décisions se prennent encore au conseil d'administration.",
            "J'ai voté pour la première fois à trente-huit ans. C'est l'atelier débat qui m'en a donné l'envie.",
            "Maintenant, quand je reçois un courrier de l'administration, je le comprends et je sais quoi répondre.",
            "On a lancé une pétition avec les voisins pour garder l'arrêt de bus. Seuls, on ne l'aurait jamais fait.",
            "Franchement, la politique, ça ne m'intéresse toujours pas. Mais ici, au moins, on peut dire ce qui ne va pas.",
            "En tant que coopératrice, j'ai l'impression de reprendre un peu la main sur mon énergie.",
            "Le comité des usagers, ça prend du temps, et on n'a pas toujours l'impression que ça change quelque chose.",
            "J'ai appris à défendre mes droits au CPAS sans me laisser impressionner.",
            "On nous a demandé notre avis sur le règlement intérieur. Je n'avais jamais vu ça ailleurs.",
            "Avec le groupe, on a témoigné devant des élus régionaux. J'avais les jambes qui tremblaient, mais je l'ai fait.",
        ],
        "nl": [
            "Ik wist niet eens dat ik recht had op een huurpremie. Nu weet ik waar ik naartoe moet.",
            "Op de algemene vergadering telt mijn stem evenveel als die van de directeur. Dat verraste me in het begin.",
            "We zijn op het gemeentehuis ontvangen om te praten over het tekort aan opvangplaatsen. Voor één keer luisterden ze.",
            "Het personeelsoverleg is goed, maar de echte beslissingen vallen nog altijd in de raad van bestuur.",
            "Ik heb op mijn achtendertigste voor het eerst gestemd. Het debatatelier heeft me daar goesting in doen krijgen.",
            "Als ik nu een brief van de administratie krijg, snap ik hem en weet ik wat ik moet antwoorden.",
            "Met de buren hebben we een petitie gestart om de bushalte te behouden. Alleen hadden we dat nooit gedaan.",
            "Eerlijk, politiek interesseert me nog altijd niet. Maar hier kun je tenminste zeggen wat er misloopt.",
            "Als coöperant heb ik het gevoel dat ik weer wat zeggenschap heb over mijn energie.",
            "In de gebruikersraad zitten kost veel tijd, en je hebt niet altijd het gevoel dat het iets uitmaakt.",
            "Ik heb geleerd om bij het OCMW voor mijn rechten op te komen zonder me te laten intimideren.",
            "Ze vroegen onze mening over het huishoudelijk reglement. Dat had ik nergens anders meegemaakt.",
            "Met de groep hebben we ons verhaal gedaan voor regionale politici. Ik stond te beven, maar ik heb het gedaan.",
        ],
    },
    "environmental": {
        "fr": [
            "Je ne jetais jamais rien, mais je ne réparais rien non plus. Ici, j'ai appris à réparer mon grille-pain.",
            "Travailler au potager, voir pousser ce qu'on a planté, ça m'apaise.",
            "Les clients sont contents de savoir que les meubles ont une deuxième vie au lieu de finir au conteneur.",
            "À la maison on trie tout maintenant. Si j'oublie, les enfants me le rappellent.",
            "Les panneaux sur le toit de l'école, c'est un peu la fierté de tout le village.",
            "C'est bien beau, le bio et le local, mais pour une famille avec un petit budget, ça reste cher.",
            "Je viens travailler à vélo depuis que l'atelier m'en a remis un en état. Et je fais des économies.",
            "Trier des textiles toute la journée, ce n'est pas très glamour, mais on sait que ça sert.",
            "Je ne connaissais rien aux saisons des légumes. Maintenant je sais qu'on ne mange pas de tomates en janvier.",
            "L'hiver, les chantiers d'espaces verts sont pénibles : on a froid et les outils sont lourds.",
            "Avec les ateliers, j'ai fait baisser ma facture de chauffage en changeant quelques petites habitudes.",
            "On nous parle beaucoup d'écologie, mais la camionnette de livraison roule encore au diesel. C'est un peu contradictoire.",
            "Les enfants de la crèche vont voir les poules chaque semaine, ils adorent ça.",
        ],
        "nl": [
            "Ik gooide nooit iets weg, maar ik herstelde ook niks. Hier heb ik geleerd mijn broodrooster te maken.",
            "In de moestuin werken en zien groeien wat je geplant hebt, dat geeft me rust.",
            "Klanten zijn blij dat de meubels een tweede leven krijgen in plaats van in de container te belanden.",
            "Thuis sorteren we nu alles. Als ik het vergeet, zeggen de kinderen het wel.",
            "De zonnepanelen op het dak van de school, daar is heel het dorp een beetje fier op.",
            "Bio en lokaal is allemaal goed en wel, maar voor een gezin met een klein budget blijft het duur.",
            "Sinds het atelier een oude fiets voor mij heeft opgeknapt, fiets ik naar het werk. Dat spaart ook geld uit.",
            "Heel de dag textiel sorteren is niet het plezantste werk, maar je weet dat het ergens voor dient.",
            "Ik wist niks van seizoensgroenten. Nu weet ik dat je in januari geen tomaten eet.",
            "In de winter is groenonderhoud zwaar: het is koud en het materiaal weegt.",
            "Door de ateliers heb ik mijn verwarmingsfactuur doen zakken met een paar kleine gewoontes.",
            "Ze hebben het hier veel over ecologie, maar de leveringswagen rijdt nog op diesel. Beetje tegenstrijdig.",
            "De kindjes van de crèche gaan elke week naar de kippen kijken. Ze zijn er zot van.",
        ],
    },
    "territorial": {
        "fr": [
            "Depuis que l'épicerie a ouvert, le quartier revit. Les gens se disent bonjour.",
            "Je connais maintenant tous les commerçants du coin. C'est eux qui m'appellent pour des petits boulots.",
            "Sans la voiture partagée, je n'aurais jamais pu aller à mes entretiens d'embauche en ville.",
            "Le village n'avait plus rien, même plus de café. Le tiers-lieu est devenu notre point de rencontre.",
            "Nos équipes travaillent dans les parcs de la commune. Les habitants nous reconnaissent et nous remercient.",
            "C'est bien d'être ancré localement, mais on reste très dépendants de la commune pour les marchés.",
            "J'ai passé mon permis grâce au programme. Ici, sans permis, tu ne vas nulle part.",
            "Les producteurs du coin, je ne les connaissais pas. Maintenant je vais chercher mes œufs à la ferme.",
            "Le bus passe deux fois par jour, alors pour les familles qui viennent de loin, c'est compliqué.",
            "On a rénové des maisons dans ma propre rue. Les voisins me regardent autrement maintenant.",
            "Je suis née ici et je pensais devoir partir pour trouver du travail. Finalement, je suis restée.",
            "Au début, les gens d'ici se méfiaient un peu du foyer. Depuis la journée portes ouvertes, ça s'est calmé.",
            "Le marché du samedi attire du monde du village d'à côté, ça fait du bien aux commerces.",
        ],
        "nl": [
            "Sinds de kruidenier open is, leeft de wijk weer op. Mensen zeggen elkaar goeiedag.",
            "Ik ken nu alle winkeliers uit de buurt. Zij bellen mij als ze een klusje hebben.",
            "Zonder de deelauto had ik nooit naar mijn sollicitatiegesprekken in de stad kunnen gaan.",
            "Het dorp had niks meer, zelfs geen café. De ontmoetingsplek is nu ons trefpunt geworden.",
            "Onze ploegen werken in de parken van de gemeente. De mensen herkennen ons en bedanken ons.",
            "Lokaal verankerd zijn is goed, maar voor opdrachten blijven we heel afhankelijk van de gemeente.",
            "Ik heb mijn rijbewijs gehaald dankzij het programma. Hier kom je zonder rijbewijs nergens.",
            "De boeren uit de buurt kende ik niet. Nu ga ik mijn eieren op de hoeve halen.",
            "De bus komt maar twee keer per dag, dus voor gezinnen die van verder komen is het lastig.",
            "We hebben huizen gerenoveerd in mijn eigen straat. De buren bekijken me nu anders.",
            "Ik ben hier geboren en dacht dat ik zou moeten vertrekken om werk te vinden. Uiteindelijk ben ik gebleven.",
            "In het begin waren de mensen hier wat wantrouwig tegenover de opvang. Sinds de opendeurdag is dat gekalmeerd.",
            "De zaterdagmarkt trekt volk uit het dorp ernaast, dat doet de winkels deugd.",
        ],
    },
}

# ---------------------------------------------------------------------------
# 6. Research notes (step -> kind -> sentences, English)
# ---------------------------------------------------------------------------

RESEARCH_NOTES: dict[str, dict[str, list[str]]] = {
    "1": {
        "difficulty": [
            "The team struggled to tell outputs from outcomes; most first drafts listed activities as results.",
            "Board members and field staff did not agree on the core social mission, which slowed down the impact chain.",
            "Workers in integration were hard to involve: the workshops clashed with site schedules.",
            "The first evaluative questions were far too broad ('Do we change society?') to be answerable.",
            "The director wanted questions that would please funders, while the team wanted to learn and improve.",
            "The vocabulary of the method (outcome, impact, stakeholder) felt foreign to staff with no evaluation background.",
            "Clients and suppliers were missing from the first stakeholder map; nobody thought of them as affected.",
        ],
        "adaptation": [
            "We replaced the jargon with everyday words: 'what we do', 'what changes for people', 'what changes around us'.",
            "We built the impact chain with sticky notes on the workshop wall so that workers could add to it during breaks.",
            "We ran short sessions on site at lunchtime instead of a half-day meeting at the office.",
            "Each participant told one success story, and we worked backwards from it to name the outcomes.",
            "We limited the enterprise to three evaluative questions, prioritised by a dot vote.",
            "A worker representative co-facilitated the second workshop, which helped colleagues speak up.",
            "We produced the materials in plain French and plain Dutch, with a pictogram for each impact dimension.",
        ],
    },
    "2": {
        "difficulty": [
            "Workers in integration found the Likert scale abstract and tended to tick the middle box.",
            "Low response rate at T2: people had left and phone numbers changed.",
            "Several respondents could not read the questionnaire and needed it read aloud, which may bias answers.",
            "Staff felt that data collection added to an already heavy workload.",
            "Questions on physical well-being were perceived as intrusive by some older respondents.",
            "The online form did not work well on older smartphones, and several people had no mobile data.",
            "Supervisors filled in questionnaires together with workers, which raised concerns about social desirability.",
            "Purchase records were scattered across paper invoices, so the share of local purchases was hard to compute.",
        ],
        "adaptation": [
            "We switched from numbered Likert scales to smiley faces.",
            "At T1 we asked for a second contact (a relative or social worker) to reach people who might leave.",
            "Questionnaires were administered orally by a volunteer who does not supervise the respondents.",
            "We cut the questionnaire from forty to fifteen items and dropped questions nobody planned to use.",
            "We offered paper and tablet versions and set aside time during working hours to fill them in.",
            "For the network question we used a drawing of concentric circles instead of asking for a number.",
            "The bookkeeper tagged suppliers by postcode once, so the local share could be extracted automatically.",
        ],
    },
    "3": {
        "difficulty": [
            "Samples were too small to compare T1 and T2 with any statistical confidence.",
            "The team was disappointed when some indicators showed no change and questioned the whole exercise.",
            "Without a comparison group, it was hard to attribute changes to the enterprise rather than to context.",
            "The first draft report was too long and technical for the board and for the workers.",
            "Funders asked for a single impact figure, which the method deliberately does not produce.",
            "Critical testimonies made the team uncomfortable, and there was a temptation to leave them out.",
            "The staff member who led the evaluation had left before the results came in.",
        ],
        "adaptation": [
            "We presented results as simple before/after charts and let the team interpret them together.",
            "We paired each figure with a short quote to give meaning to small samples.",
            "Results were shared with the workers first, before the board and the funders.",
            "We produced a two-page summary for funders and a poster for the canteen wall.",
            "Unexpected results were turned into new evaluative questions for the next cycle.",
            "We kept critical verbatims in the report and linked each one to a concrete improvement action.",
            "The evaluation was written into the annual action plan so that it no longer depends on one person.",
        ],
    },
}

# ---------------------------------------------------------------------------
# 7. Accompanying federations and accompaniers (all fictional)
# ---------------------------------------------------------------------------

ACCOMPANIER_FEDERATIONS: dict[str, list[str]] = {
    "wallonia": [
        "Fédération des Entreprises Solidaires du Val-des-Aulnes",
        "Collectif wallon pour une Économie Plurielle",
        "Agence-conseil Sambre & Lesse en économie sociale",
    ],
    "brussels": [
        "Maison de l'Économie Sociale du Canal / Huis van de Sociale Economie Kanaal",
        "Plateforme bruxelloise de l'Entreprendre Solidaire",
        "Netwerk Coöperatief Ondernemen Brussel-Kanaal",
    ],
    "flanders": [
        "Netwerk Sociaal Ondernemen Heidebeek",
        "Koepel Solidaire Economie Kouterland",
        "Steunpunt Maatwerk & Coöperatie Vlasbeek",
    ],
    "hauts_de_france": [
        "Union des Coopératives du Pays des Terrils",
        "Réseau Solidarité & Territoires du Bois-du-Marais",
        "Pôle d'accompagnement ESS Scarpe-Sambre",
    ],
}

ACCOMPANIER_NAMES: list[str] = [
    "Claire Vandermeulen",
    "Pieter Desmedt",
    "Sophie Lambotte",
    "Jeroen Van Acker",
    "Aurélie Dufrasne",
    "Wouter Claerhout",
    "Nathalie Goffinet",
    "Lotte Vermeersch",
    "Julien Pirard",
    "Sarah El Amrani",
    "Thomas Verstraete",
    "Élise Delvaux",
    "Bram De Clercq",
    "Marie-Laure Hennuyer",
    "Karim Ouazzani",
    "Hanne Dewulf",
]


# Written findings per evaluative question (step 3), by who wrote them, in the
# enterprise's language. Plausible conclusions an accompanier and a team would write.
FINDINGS: dict[str, dict[str, list[str]]] = {
    "accompanier": {
        "fr": [
            ("Les chiffres vont dans le sens attendu et les témoignages les confirment ; "
            "l'écart entre les personnes restées et celles parties invite à la prudence."),
            ("Le suivi des mêmes personnes montre un progrès net pour une majorité ; il "
            "faudra un groupe plus large pour conclure sur les sous-groupes."),
            ("L'équipe a su mobiliser les personnes aux trois temps de mesure ; les "
            "résultats sont encourageants mais restent ceux d'une seule structure."),
            ("Les effets sont modestes et en partie dus au hasard ; les entretiens montrent "
            "surtout un gain de confiance difficile à chiffrer."),
        ],
        "nl": [
            ("De cijfers gaan in de verwachte richting en de getuigenissen bevestigen ze; het "
            "verschil tussen wie bleef en wie vertrok vraagt om voorzichtigheid."),
            ("Het opvolgen van dezelfde mensen toont voor een meerderheid duidelijke vooruitgang; "
            "voor uitspraken over subgroepen is een grotere groep nodig."),
            ("Het team heeft de deelnemers op de drie meetmomenten bereikt; de resultaten zijn "
            "bemoedigend maar gelden voor één organisatie."),
            ("De effecten zijn bescheiden en deels toeval; de gesprekken tonen vooral meer "
            "zelfvertrouwen, dat moeilijk in cijfers te vatten is."),
        ],
    },
    "enterprise": {
        "fr": [
            ("Nous voyons les personnes reprendre confiance et s'organiser ; l'évaluation "
            "nous donne des mots et des chiffres pour le dire à nos partenaires."),
            ("Les résultats confirment ce que l'équipe observe au quotidien et nous aident à "
            "revoir l'accompagnement des personnes qui décrochent."),
            ("Nous retenons surtout les progrès du réseau et de l'autonomie ; nous "
            "poursuivrons la mesure l'an prochain avec un questionnaire raccourci."),
            ("Le bilan est plus nuancé que prévu : il nous pousse à mieux suivre les "
            "personnes après leur sortie."),
        ],
        "nl": [
            ("We zien mensen opnieuw vertrouwen krijgen en hun leven organiseren; de evaluatie "
            "geeft ons woorden en cijfers om dat aan onze partners te tonen."),
            ("De resultaten bevestigen wat het team dagelijks ziet en helpen ons de begeleiding "
            "van wie afhaakt te herzien."),
            ("We onthouden vooral de vooruitgang in netwerk en zelfstandigheid; volgend jaar "
            "meten we verder met een kortere vragenlijst."),
            ("Het beeld is genuanceerder dan verwacht: het zet ons aan om mensen na hun "
            "uitstroom beter op te volgen."),
        ],
    },
}
