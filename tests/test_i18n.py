"""Translations are gettext catalogs: complete, current, and formatting as each language writes."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reemploi.i18n import MESSAGES, t
from reemploi.i18n.formatting import Localized, format_message, number, percent
from reemploi.i18n.formatting import date as fmt_date

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import messages as catalogs  # noqa: E402  (tools/messages.py, the catalog maintenance tool)


@pytest.fixture(scope="module")
def extracted():  # type: ignore[no-untyped-def]
    return catalogs.extract()


def test_every_message_has_a_french_translation_with_the_same_placeholders(extracted) -> None:  # type: ignore[no-untyped-def]
    assert catalogs.problems("fr", extracted) == []


def test_the_template_holds_every_message_of_the_code(extracted) -> None:  # type: ignore[no-untyped-def]
    committed = {(m.id, m.context) for m in catalogs._read(catalogs.POT) if m.id}
    current = {(m.id, m.context) for m in extracted if m.id}
    assert current == committed, "run `make messages` (python tools/messages.py extract/update)"


def test_the_check_finds_a_missing_translation_and_a_changed_placeholder(tmp_path, monkeypatch, extracted) -> None:  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po, write_po

    with catalogs.po_path("fr").open("rb") as fh:
        catalog = read_po(fh)
    catalog.get("Model not in the catalog: {model}", context="unknown_model").string = "Modèle inconnu : {modele}"
    catalog.get("Unknown lot: {lot}", context="unknown_lot").string = ""
    broken = tmp_path / "fr" / "LC_MESSAGES" / "reemploi.po"
    broken.parent.mkdir(parents=True)
    with broken.open("wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(catalogs, "LOCALE", tmp_path)
    found = catalogs.problems("fr", extracted)
    assert any("unknown_model" in p and "placeholders differ" in p for p in found)
    assert any("unknown_lot" in p and "untranslated" in p for p in found)


def test_messages_read_the_catalog_in_each_language() -> None:
    assert t("unknown_model", "fr", model="X1") == "Modèle inconnu du catalogue : X1"
    assert t("unknown_model", "en", model="X1") == "Model not in the catalog: X1"
    assert t("no-such-code", "fr") == "no-such-code"


def test_numbers_and_dates_are_written_as_each_language_writes_them() -> None:
    assert number(1234.5, "fr", 1) == "1\u202f234,5"
    assert number(1234.5, "en", 1) == "1,234.5"
    assert number(1234567, "fr") == "1\u202f234\u202f567"
    assert percent(0.914, "fr") == "91,4\xa0%"
    assert percent(0.914, "en") == "91.4%"
    assert fmt_date(date(2026, 12, 2), "fr") == "2 déc. 2026"
    assert fmt_date(date(2026, 12, 2), "en") == "2 Dec 2026"


def test_a_template_asks_for_the_format_and_gets_it_in_the_language() -> None:
    template = "{n:n} rows, {value:.1f} t, {rate:.1%}, on {day:date}, year {year}"
    params = {"n": 12345, "value": 138.66, "rate": 0.9137, "day": datetime(2026, 12, 2, tzinfo=UTC), "year": 2024}
    assert format_message(template, "fr", params) == "12\u202f345 rows, 138,7 t, 91,4\xa0%, on 2 déc. 2026, year 2024"
    assert format_message(template, "en", params) == "12,345 rows, 138.7 t, 91.4%, on 2 Dec 2026, year 2024"


def test_a_value_given_in_several_languages_shows_the_readers() -> None:
    why = Localized(en="radio failed", fr="radio en panne")
    assert format_message("({why})", "fr", {"why": why}) == "(radio en panne)"
    assert format_message("({why})", "en", {"why": why}) == "(radio failed)"


def test_a_message_that_does_not_fit_its_parameters_still_says_them() -> None:
    assert "model" in format_message("Unknown {model}", "en", {"serial": "S1"})


def test_no_message_code_is_declared_twice() -> None:
    import ast

    codes: list[str] = []
    for path in (ROOT / "src/reemploi/i18n/messages").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "M":
                codes.append(node.args[0].value)  # type: ignore[attr-defined]
    assert len(codes) == len(set(codes)) == len(MESSAGES)


def test_help_is_in_french_with_the_toolkit_words(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("devices", "import", "--help", db=False, lang="fr")
    assert r.exit_code == 0
    assert r.output.startswith("Utilisation : reemploi devices import [OPTIONS] {FICHIER|-}")
    assert "Importe des équipements d'un export terrain" in r.output
    assert "Affiche cette aide et quitte." in r.output
    assert "Show this message" not in r.output and "Usage" not in r.output
    english = cli("devices", "import", "--help", db=False, lang="en")
    assert english.output.startswith("Usage: reemploi devices import [OPTIONS] {FILE|-}")
    assert "Import devices from a field export" in english.output


def test_the_language_option_anywhere_words_the_help(cli) -> None:  # type: ignore[no-untyped-def]
    assert "Utilisation" in cli("--lang", "fr", "demo", "--help", db=False, lang="en").output
    assert "Utilisation" in cli("demo", "--help", "--lang", "fr", db=False, lang="en").output
    assert "Usage" in cli("--lang", "fr", "demo", "--help", "--lang", "en", db=False, lang="fr").output


@pytest.mark.parametrize(
    ("argv", "french"),
    [
        (["devices", "list", "--bogus"], "Erreur : option inconnue : --bogus"),
        (["devices", "list", "--stat"], "option inconnue : --stat (options proches : --state)"),
        (["devices", "import"], "Erreur : argument « FICHIER|- » manquant."),
        (["move", "X"], "Erreur : option « --to » manquante."),
        (["demo", "--seed", "abc"], "valeur invalide pour « --seed » : un nombre entier est attendu"),
        (["demo", "--aps", "0"], "valeur invalide pour « --aps » : la valeur doit être au moins 1"),
        (["init", "extra"], "Erreur : argument(s) en trop : extra"),
        (["nocmd"], "Erreur : commande « nocmd » inconnue."),
        (["devices", "list", "--json=1"], "Erreur : l'option « --json » ne prend pas de valeur."),
    ],
)
def test_usage_errors_are_in_french(cli, argv, french) -> None:  # type: ignore[no-untyped-def]
    r = cli(*argv, db=False, lang="fr")
    assert r.exit_code == 2
    assert french in r.output
    assert "Error" not in r.output and "Usage" not in r.output


def test_a_count_chooses_the_plural_form_of_each_language() -> None:
    assert t("device_count", "en", count=1) == "1 device"
    assert t("device_count", "en", count=1234) == "1,234 devices"
    assert t("device_count", "fr", count=0) == "0 équipement"  # French: zero is singular
    assert t("device_count", "fr", count=2) == "2 équipements"
    assert t("device_count", "fr", count=1_000_000) == "1\u202f000\u202f000 d'équipements"


def test_an_edited_catalog_is_read_even_before_it_is_compiled(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os
    import shutil

    from reemploi.i18n import catalogs as runtime

    po = tmp_path / "fr" / "LC_MESSAGES" / "reemploi.po"
    po.parent.mkdir(parents=True)
    shutil.copy(runtime.po_path("fr"), po)
    (po.with_suffix(".mo")).write_bytes(runtime.compile_po(po))
    text = po.read_text(encoding="utf-8").replace("Modèle inconnu du catalogue", "Modèle absent du catalogue")
    po.write_text(text, encoding="utf-8")
    os.utime(po.with_suffix(".mo"), (1, 1))  # the compiled file is older than the edit
    monkeypatch.setattr(runtime, "LOCALE_DIR", tmp_path)
    runtime.translations.cache_clear()
    try:
        assert runtime.translations("fr").pgettext("unknown_model", MESSAGES["unknown_model"]).startswith(
            "Modèle absent"
        )
    finally:
        runtime.translations.cache_clear()


def test_every_value_of_the_domains_enumerations_has_a_label() -> None:
    from reemploi.accounts.models import Role
    from reemploi.catalog.models import DataQuality, DeviceKind
    from reemploi.i18n import label
    from reemploi.inventory.models import LocationKind, LotKind
    from reemploi.planning.models import Environment, NeedClass, PlanStatus, ShipmentStatus, SiteKind
    from reemploi.refurb.models import Check, Condition, Decision, SanitizationMethod
    from reemploi.workflow.states import State

    labelled = {"kind": DeviceKind, "data_quality": DataQuality, "location_kind": LocationKind, "lot_kind": LotKind,
                "site_kind": SiteKind, "environment": Environment, "need_class": NeedClass,
                "plan_status": PlanStatus, "shipment_status": ShipmentStatus, "check": Check,
                "condition": Condition, "decision": Decision, "wipe_method": SanitizationMethod,
                "role": Role}  # fmt: skip
    missing = [f"{e}.{v.value}" for e, cls in labelled.items() for v in cls if f"{e}.{v.value}" not in MESSAGES]
    missing += [f"web_state_{s.value}" for s in State if f"web_state_{s.value}" not in MESSAGES]
    assert missing == []
    assert label("kind", "indoor_ap", "fr") == "AP intérieur"
    assert label("kind", "not-a-kind", "fr") == "not-a-kind"
    assert label("kind", None, "fr") == "-"
