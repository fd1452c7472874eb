"""Contacts in free text are masked before publication; everything else is left alone."""

from __future__ import annotations

import pandas as pd
import pytest

from vises_nb.analysis import findings
from vises_nb.analysis.privacy import EMAIL_MARK, PHONE_MARK, mask_contacts
from vises_nb.store.loading import EnterpriseData
from vises_nb.store.model import Enterprise

PHONES = [
    "0475 12 34 56", "0475/12.34.56", "0475123456", "02/123.45.67", "02 123 45 67",
    "081 22 33 44", "+32 2 123 45 67", "+32 475 12 34 56", "+32475123456",
    "0032 475 12 34 56", "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78",
    "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "+33(0)612345678",
    "0033 6 12 34 56 78", "+44 20 7946 0958", "+1 (555) 123-4567", "+1 555 123 4567",
    "+31 20 123 4567",
]
EMAILS = ["marie.dupont@example.be", "jan_de.vries+vises@mail.co.uk", "a@b.fr",
          "contact [at] asbl.be", "x (at) y.org"]
LEFT_ALONE = [
    "le 12/03/2021", "01/02/2021", "2021-03-12", "01.02.2021 10:30", "12.500,00 €",
    "1 234 567 €", "540000", "en 1998", "2016-2019", "+5 %", "+12 500 000 €",
    "0,5 point", "E09-R012", "ISBN 978-2-07-036822-8", "BE68 5390 0754 7034",
    "20 000 habitants", "entre 2016 et 2019, 68 entreprises", "score de 14/20",
    "01/02/2021-02/03/2021", "version 0.1.0", "10:30-12:00", "+ 12 %", "n = 12",
    "0,75 ETP", "03/2020", "de 9 à 17 h", "1/3 des travailleurs", "12 % → 45 %",
    "Ici, j'ai retrouvé confiance.", "@vises sur le réseau", "",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_are_masked_inside_a_sentence(phone):
    text = f"Appelez-moi au {phone}, merci."
    assert mask_contacts(text) == f"Appelez-moi au {PHONE_MARK}, merci."


@pytest.mark.parametrize("email", EMAILS)
def test_email_addresses_are_masked_inside_a_sentence(email):
    assert mask_contacts(f"Écrivez à {email}.") == f"Écrivez à {EMAIL_MARK}."


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_dates_amounts_years_and_codes_are_left_alone(text):
    assert mask_contacts(text) == text


def test_trailing_words_and_figures_are_kept():
    assert mask_contacts("tel: 0475123456 (2 fois)") == f"tel: {PHONE_MARK} (2 fois)"
    assert mask_contacts("0475 12 34 56 2 fois") == f"{PHONE_MARK} 2 fois"
    both = "Sophie (sophie@ex.be, 0475 12 34 56) a 3 enfants depuis 2019."
    assert mask_contacts(both) == f"Sophie ({EMAIL_MARK}, {PHONE_MARK}) a 3 enfants depuis 2019."
    assert mask_contacts(None) is None


def _data(excerpts: list[dict]) -> EnterpriseData:
    card = Enterprise(id="E01", name="A", pole="insertion", region="wallonia", language="fr",
                      missions="Contact: direction@asbl.be ou 081 22 33 44")
    return EnterpriseData(card, {"excerpts": pd.DataFrame(excerpts)})


def test_published_verbatims_are_masked_and_only_the_publishable_ones():
    data = _data([
        {"id": "V1", "text": "Mon numéro: 0475 12 34 56", "dimension": "social",
         "publishable": True},
        {"id": "V2", "text": "Secret: never published", "dimension": "social",
         "publishable": False},
    ])
    published = findings.publishable_verbatims(data)
    assert published["text"].tolist() == [f"Mon numéro: {PHONE_MARK}"]
    assert data.excerpts.loc[0, "text"] == "Mon numéro: 0475 12 34 56", "the store's copy is kept"
    groups = findings.verbatims_by_dimension(data, "en")
    assert groups == [("Social", [f"Mon numéro: {PHONE_MARK}"])]


def test_identity_card_free_text_is_masked():
    from vises_nb.analysis import diagnostic

    card = diagnostic.identity_card(_data([]), "en")
    text = " ".join(card.iloc[:, 1])
    assert "direction@asbl.be" not in text and "081 22 33 44" not in text
    assert f"Contact: {EMAIL_MARK} ou {PHONE_MARK}" in text


def test_sidecars_are_masked_like_the_report(tmp_path):
    """Issue 14, item 7: step1/identity.json kept the e-mail and phone the HTML masked."""
    import json

    from vises_nb.publishing.notebook import Context

    enterprise = Enterprise(
        id="E1", name="Atelier", pole="autres", region="brussels", language="fr",
        governance="Contact : marie.dupont@example.be ou 0475 12 34 56, budget 2 500 €")
    ctx = Context("fr", tmp_path, 5)
    ctx.write("identity", enterprise.model_dump(mode="json"))
    ctx.write("table", pd.DataFrame({"text": ["appelez le +32 475 12 34 56"], "n": [3]}))
    identity = json.loads((tmp_path / "identity.json").read_text())
    assert identity["governance"] == f"Contact : {EMAIL_MARK} ou {PHONE_MARK}, budget 2 500 €"
    assert identity["name"] == "Atelier" and identity["year_founded"] is None
    table = json.loads((tmp_path / "table.json").read_text())["data"]
    assert table == [{"text": f"appelez le {PHONE_MARK}", "n": 3}]
