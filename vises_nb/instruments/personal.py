"""Personal data that is never stored: names, e-mail addresses, phone numbers.

A question is personal by its XLSForm type (email, phonenumber metadata) or by its
name; an answer is personal by its look (an e-mail address, a phone number), whatever
question it answers. Respondents are known only by a pseudonymous code.
"""

from __future__ import annotations

import re

PERSONAL_TYPES = {"email", "phonenumber", "username", "uri:email", "uri:phonenumber",
                  "subscriberid", "simserial", "deviceid"}
# Words that always mean personal data, and "name" words that do when they stand alone
# or follow a word for a person ("participant_name", yes; "site_name", "field_name", no).
_PERSONAL_WORDS = {
    "email", "mail", "courriel", "phone", "telephone", "téléphone", "tel", "tél", "gsm",
    "mobile", "portable", "telefoon", "telefoonnummer", "mobiel", "phonenumber", "surname",
    "firstname", "lastname", "fullname", "prenom", "prénom", "voornaam", "achternaam",
    "familienaam", "username", "reporter", "enumerator", "interviewer", "collector",
    "recorder", "submitter", "enqueteur", "enquêteur", "signature",
}
_NAME_WORDS = {"name", "nom", "naam"}
_PERSON_WORDS = {
    "first", "last", "full", "given", "family", "participant", "respondent", "person",
    "contact", "beneficiary", "user", "your", "my", "child", "mother", "father", "parent",
    "worker", "client", "volunteer", "staff", "patient", "student", "head", "hh", "owner",
    "interviewee", "enum", "de", "du", "van", "der",
}


def _tokens(name: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return [t for t in re.split(r"[^0-9A-Za-zÀ-ÿ]+", spaced.lower()) if t]


EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w.])(\+|00)?\d[\d\s./-]{7,}\d(?![\w.])")


def is_personal_name(name: str) -> bool:
    """True for a column or question name that says it holds a name, e-mail or phone."""
    tokens = _tokens(name)
    if any(t in _PERSONAL_WORDS for t in tokens) or {"nom", "famille"} <= set(tokens):
        return True
    for k, token in enumerate(tokens):
        if token in _NAME_WORDS and (len(tokens) == 1 or (k > 0 and tokens[k - 1] in
                                                          _PERSON_WORDS)):
            return True
    return False


def is_personal_question(question) -> bool:
    """By XLSForm type, name or label ("Votre adresse e-mail"), in any language."""
    return (question.type in PERSONAL_TYPES or is_personal_name(question.name)
            or any(is_personal_name(label) for label in question.labels.values()))


def looks_personal(text: str) -> bool:
    """True for an answer holding an e-mail address or a phone number (8+ digits)."""
    if EMAIL.search(text):
        return True
    for match in PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        looks_like_date = re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", match.group().strip())
        if 8 <= len(digits) <= 15 and not looks_like_date:
            return True
    return False
