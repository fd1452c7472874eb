"""Personal data that is never stored: names, e-mail addresses, phone numbers.

A question is personal by its XLSForm type (email, phonenumber metadata) or by its
name; an answer is personal by its look (an e-mail address, a phone number), whatever
question it answers. Respondents are known only by a pseudonymous code.
"""

from __future__ import annotations

import re

PERSONAL_TYPES = {"email", "phonenumber", "username", "uri:email", "uri:phonenumber",
                  "subscriberid", "simserial", "deviceid"}
_NAME_WORDS = (
    r"name|first_?name|last_?name|surname|full_?name|given_?name|family_?name|nom|prenom|"
    r"prénom|nom_?de_?famille|naam|voornaam|achternaam|familienaam|"
    r"e?-?mail|courriel|adresse_?mail|phone|telephone|téléphone|tel|tél|gsm|mobile|"
    r"portable|telefoon|telefoonnummer|mobiel|phone_?number|reporter|enumerator|"
    r"interviewer|collector|recorder|submitter|enqueteur|enquêteur"
)
_PERSONAL_NAME = re.compile(rf"(^|[_\-\s/.])({_NAME_WORDS})($|[_\-\s/.0-9])", re.IGNORECASE)
_NOT_PERSONAL = re.compile(r"(site|place|area|project|org|species|taxon|enterprise|entreprise|organisation|"
                           r"instance|file|form|group|place|village|school|company|product)"
                           r"[_\-\s]?name|name[_\-\s]?(of[_\-\s])?(site|place|project|org)",
                           re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w.])(\+|00)?\d[\d\s./-]{7,}\d(?![\w.])")


def is_personal_name(name: str) -> bool:
    """True for a column or question name that says it holds a name, e-mail or phone."""
    return bool(_PERSONAL_NAME.search(name)) and not _NOT_PERSONAL.search(name)


def is_personal_question(question) -> bool:
    return question.type in PERSONAL_TYPES or is_personal_name(question.name)


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
