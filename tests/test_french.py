"""The interface in French under /fr/, English unprefixed, and a switcher between them."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from commitments.models import Commitment

from .factories import CommitmentFactory, CommitmentQuoteFactory, QuoteFactory, commitment_with_basis

pytestmark = pytest.mark.django_db


def french(name: str, **kwargs) -> str:
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def test_english_is_unprefixed_and_french_is_under_fr(client, seed):
    assert reverse("commitments:commitment-list") == "/commitments/"
    assert french("commitments:commitment-list") == "/fr/commitments/"
    english = client.get("/commitments/", headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="en">' in english and "Apply filters" in english  # the address decides, not the browser
    html = client.get("/fr/commitments/").content.decode()
    assert '<html lang="fr">' in html
    assert "Appliquer les filtres" in html and "Apply filters" not in html
    assert "Engagements publiés\xa0: sélectionnez un en-tête de colonne pour trier" in html


def test_french_pages_show_french_titles_and_summaries(client, seed):
    troops = Commitment.objects.get(slug="deploy-600-troops-peace-operations")
    with translation.override("fr"):
        url = troops.get_absolute_url()
    html = client.get(url).content.decode()
    assert url == "/fr/commitments/deploy-600-troops-peace-operations/"
    assert "<h1>Déployer jusqu&#x27;à 600 militaires dans des opérations de paix</h1>" in html
    assert troops.summary_fr in html.replace("&#x27;", "'")
    # The quote stays in the language it was spoken in.
    assert '<blockquote lang="en"' in html and "a commitment of up to 600 troops" in html
    assert "État actuel\xa0:" in html and "En cours" in html
    with translation.override("en"):
        english = client.get(troops.get_absolute_url()).content.decode()
    assert "<h1>Deploy up to 600 troops to peace operations</h1>" in english


def test_a_commitment_without_french_falls_back_to_english(client, db):
    commitment = commitment_with_basis(title="Only in English", title_fr="", summary_fr="")
    with translation.override("fr"):
        url = commitment.get_absolute_url()
    assert "<h1>Only in English</h1>" in client.get(url).content.decode()


def test_the_french_table_sorts_and_searches_by_french_titles(client, db):
    for title, title_fr in (("Apple pledge", "Zèbre"), ("Zebra pledge", "Abeille")):
        CommitmentQuoteFactory(commitment=CommitmentFactory(title=title, title_fr=title_fr))
    html = client.get("/fr/commitments/?sort=title").content.decode()
    assert html.index("Abeille") < html.index("Zèbre")
    found = client.get("/fr/commitments/?q=abeille").content.decode()
    assert "Abeille" in found and "Zèbre" not in found


@pytest.mark.parametrize(
    "path", ["/", "/commitments/?theme=peacekeeping&sort=-title", "/sources/", "/methodology/", "/corrections/"]
)
def test_every_page_links_to_itself_in_the_other_language(client, seed, path):
    html = client.get(path).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    target = "/fr" + path.replace("&", "&amp;")
    assert f'<a href="{target}" hreflang="fr" lang="fr">Français</a>' in switcher
    back = client.get("/fr" + path).content.decode()
    assert f'<a href="{path.replace("&", "&amp;")}" hreflang="en" lang="en">English</a>' in back


def test_a_french_passage_shows_its_english_counterpart(client, db):
    commitment = commitment_with_basis(quotes=0, updates=0)
    english = QuoteFactory(text="Canada will deploy up to 0 troops in support of peace operations.")
    document = english.source
    document.full_text += "\n\nLe Canada déploiera des troupes.\n"
    document.language = "bilingual"
    document.save()
    french_quote = QuoteFactory(source=document, text="Le Canada déploiera des troupes.", language="fr")
    french_quote.translation_of = english
    french_quote.save()
    CommitmentQuoteFactory(commitment=commitment, quote=french_quote)
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert '<blockquote lang="fr"' in html and "Le Canada déploiera des troupes." in html
    assert "The same passage in the document's English:" in html
    assert f'<blockquote lang="en"><p><a href="{english.get_absolute_url()}">{english.text}</a>' in html
    # And the other way round, from the English quote.
    other = commitment_with_basis(quotes=0, updates=0)
    CommitmentQuoteFactory(commitment=other, quote=english)
    html = client.get(other.get_absolute_url()).content.decode()
    assert "The same passage in the document's French:" in html and "Le Canada déploiera des troupes." in html


def test_the_seed_has_a_french_title_and_summary_for_every_commitment(seed):
    assert not Commitment.objects.filter(title_fr="").exists()
    assert not Commitment.objects.filter(summary_fr="").exists()


def test_csv_export_in_french_keeps_codes_and_translates_labels(client, seed):
    body = b"".join(client.get("/fr/commitments/export.csv?status=in_progress").streaming_content).decode("utf-8-sig")
    assert '"in_progress","En cours"' in body


def test_every_interface_string_has_a_french_translation():
    from pathlib import Path

    from django.conf import settings

    po = (Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # after the header
    # An empty msgstr is one not continued on the next line.
    empty = re.compile(r'^msgstr(\[\d\])? ""(?=\n(?!")|\Z)', re.M)
    untranslated = [entry for entry in entries if empty.search(entry) and "#~" not in entry]
    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]
    assert untranslated == [] and fuzzy == []


def test_french_dates_write_the_first_of_the_month_as_1er(client, seed):
    french = client.get("/fr/commitments/", {"as_of": "2012-01-01"}).content.decode()
    assert "1er janvier 2012" in french
    english = client.get("/commitments/", {"as_of": "2012-01-01"}).content.decode()
    assert "1 January 2012" in english
    assert "6 septembre 2016" in client.get("/fr/sources/").content.decode()


def test_the_methodology_is_in_french_under_fr(client, db):
    assert french("commitments:methodology") == "/fr/methodology/"
    html = client.get("/fr/methodology/").content.decode()
    assert '<html lang="fr">' in html and "<h1>Comment le Suivi évalue les engagements</h1>" in html
    assert '<a href="/fr/methodology/">Notre méthode</a>' in client.get("/fr/").content.decode()
