"""Messages users read, in French and English.

Domain code raises errors and returns reasons as a code plus parameters; adapters
render them here. French is the default when the locale is French.
"""

from __future__ import annotations

import os
from typing import Any

LANGS = ("fr", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (French, English)
    "error": ("Erreur : {params}", "Error: {params}"),
    "not_found": ("Introuvable.", "Not found."),
    "unknown_model": ("Modèle inconnu du catalogue : {model}", "Model not in the catalog: {model}"),
    "unknown_location": ("Lieu inconnu : {location}", "Unknown location: {location}"),
    "unknown_device": ("Équipement inconnu : {serial}", "Unknown device: {serial}"),
    "unknown_device_is_lot": (
        "Équipement inconnu : {serial} (c'est le code d'un lot : ajoutez --lot)",
        "Unknown device: {serial} (it is a lot's code: add --lot)",
    ),
    "unknown_lot": ("Lot inconnu : {lot}", "Unknown lot: {lot}"),
    "unknown_state": ("État inconnu : {state} (états : {states})", "Unknown state: {state} (states: {states})"),
    "unknown_kind": ("Type inconnu : {kind} (types : {kinds})", "Unknown kind: {kind} (kinds: {kinds})"),
    "invalid_input": ("Entrée inutilisable.", "Unusable input."),
    "conflict": ("Conflit.", "Conflict."),
    "concurrent_change": (
        "{count} équipement(s) modifié(s) entre-temps par quelqu'un d'autre : rien n'a été écrit, réessayez.",
        "{count} device(s) were changed meanwhile by someone else: nothing was written, try again.",
    ),
    "database_not_ready": (
        "La base {url} n'est pas initialisée (ou pas à jour) : lancez `reemploi init`.",
        "The database {url} is not initialised (or not up to date): run `reemploi init`.",
    ),
    "database_conflict": (
        "Conflit en base : {error}. Quelqu'un a modifié les mêmes données ; rien n'a été écrit, réessayez.",
        "Database conflict: {error}. Someone changed the same data; nothing was written, try again.",
    ),
    "database_bad_value": ("Valeur refusée par la base : {error}", "Value refused by the database: {error}"),
    "database_busy": (
        "Base occupée par un autre utilisateur ({error}) : rien n'a été écrit, réessayez.",
        "Database busy with another user ({error}): nothing was written, try again.",
    ),
    "os_error": ("{file} : {error}", "{file}: {error}"),
    "database_unreachable": ("Base de données injoignable : {error}", "Database unreachable: {error}"),
    "file_missing": ("Fichier introuvable : {file}", "File not found: {file}"),
    "file_undecodable": (
        "{file} : encodage non reconnu (attendu UTF-8, UTF-16 ou Windows-1252).",
        "{file}: unknown encoding (expected UTF-8, UTF-16 or Windows-1252).",
    ),
    "file_xls": (
        "{file} : format Excel 97-2003 (.xls) non pris en charge ; enregistrez-le en .xlsx ou .csv.",
        "{file}: Excel 97-2003 (.xls) is not supported; save it as .xlsx or .csv.",
    ),
    "file_bad_xlsx": ("{file} : classeur XLSX illisible ({error}).", "{file}: unreadable XLSX workbook ({error})."),
    "file_csv_error": (
        "{file}, ligne {line} : CSV illisible ({error}).",
        "{file}, line {line}: unreadable CSV ({error}).",
    ),
    "file_is_dir": ("{file} est un dossier, pas un fichier.", "{file} is a folder, not a file."),
    "file_empty": ("{file} est vide.", "{file} is empty."),
    "file_binary": (
        "{file} n'est pas un fichier texte (CSV) ni un classeur XLSX.",
        "{file} is neither a text (CSV) file nor an XLSX workbook.",
    ),
    "output_is_dir": ("{file} est un dossier : donnez un nom de fichier.", "{file} is a folder: give a file name."),
    "output_exists": (
        "{file} existe déjà : --replace pour le remplacer, ou choisissez un autre nom.",
        "{file} already exists: --replace to replace it, or choose another name.",
    ),
    "output_is_input": (
        "{file} est aussi le fichier lu : il serait écrasé. Choisissez un autre nom.",
        "{file} is also the input file: it would be overwritten. Choose another name.",
    ),
    "bad_db_url": (
        "URL de base de données invalide : {url} (ex. sqlite:///reemploi.db, postgresql+psycopg://user@host/base).",
        "Invalid database URL: {url} (e.g. sqlite:///reemploi.db, postgresql+psycopg://user@host/db).",
    ),
    "database_not_a_db": (
        "{url} n'est pas une base reemploi lisible ({error}).",
        "{url} is not a readable reemploi database ({error}).",
    ),
    "unknown_lang": ("Langue inconnue : {lang} (fr ou en).", "Unknown language: {lang} (fr or en)."),
    "no_serials": (
        "Aucun numéro de série reçu (arguments ou entrée standard vide).",
        "No serial given (no arguments, or standard input was empty).",
    ),
    "no_scans": (
        "La liste des scans est vide : refusé avec --receive-at ou --mark-missing-lost (tout le lot serait perdu).",
        "The scan list is empty: refused with --receive-at or --mark-missing-lost (the whole lot would be lost).",
    ),
    "sheet_unknown": (
        "{file} : pas de feuille « {sheet} » (feuilles : {sheets}).",
        "{file}: no sheet '{sheet}' (sheets: {sheets}).",
    ),
    "sheet_not_csv": (
        "{file} : --sheet ne s'applique qu'aux fichiers XLSX.",
        "{file}: --sheet applies to XLSX files only.",
    ),
    "no_header": (
        "{file} : aucune colonne « {column} » dans les {rows} premières lignes.",
        "{file}: no '{column}' column in the first {rows} rows.",
    ),
    "bad_map": (
        "--map {value} : attendu CHAMP=EN-TÊTE avec CHAMP parmi {fields}.",
        "--map {value}: expected FIELD=HEADER with FIELD one of {fields}.",
    ),
    "header_ambiguous": (
        "plusieurs colonnes peuvent être « {field} » : {headers} ; dites laquelle, par exemple --map {field}={header}",
        "several columns could be '{field}': {headers}; say which, e.g. --map {field}={header}",
    ),
    "map_header_missing": (
        "--map {field}={header} : pas de colonne « {header} » dans le fichier.",
        "--map {field}={header}: no column '{header}' in the file.",
    ),
    "duplicate_header": (
        "Deux colonnes désignent « {field} » : {headers}. Précisez avec --map {field}=EN-TÊTE.",
        "Two columns mean '{field}': {headers}. Choose one with --map {field}=HEADER.",
    ),
    "export_format": (
        "{file} : format d'export non pris en charge (.csv ou .xlsx).",
        "{file}: unsupported export format (.csv or .xlsx).",
    ),
    # Row-level reasons (rejects file).
    "serial_missing": ("numéro de série vide", "serial is empty"),
    "serial_placeholder": ("numéro de série de remplissage « {value} »", "placeholder serial '{value}'"),
    "serial_excel": (
        "numéro de série abîmé par Excel « {value} » (ré-exportez la colonne en texte)",
        "serial mangled by Excel '{value}' (export the column as text)",
    ),
    "serial_invalid": (
        "numéro de série invalide « {value} » (4 à 40 lettres, chiffres ou tirets)",
        "invalid serial '{value}' (4 to 40 letters, digits or dashes)",
    ),
    "serial_duplicate": (
        "numéro de série {value} déjà vu ligne {line}",
        "serial {value} already seen on line {line}",
    ),
    "mac_invalid": ("adresse MAC invalide « {value} »", "invalid MAC address '{value}'"),
    "mac_excel": (
        "adresse MAC abîmée par Excel « {value} » (ré-exportez la colonne en texte)",
        "MAC address mangled by Excel '{value}' (export the column as text)",
    ),
    "formula_uncached": (
        "formule sans valeur calculée en colonne {columns} (ouvrez et enregistrez le classeur dans Excel)",
        "formula without a computed value in column {columns} (open and save the workbook in Excel)",
    ),
    "mac_reserved": (
        "adresse MAC {value} nulle, de diffusion ou multicast",
        "MAC address {value} is all-zero, broadcast or multicast",
    ),
    "mac_duplicate": ("adresse MAC {value} déjà vue ligne {line}", "MAC address {value} already seen on line {line}"),
    "mac_taken": (
        "adresse MAC {value} déjà attribuée à l'équipement {serial}",
        "MAC address {value} already belongs to device {serial}",
    ),
    "model_missing": ("modèle vide", "model is empty"),
    "model_unknown": ("modèle inconnu du catalogue « {value} »", "model not in the catalog '{value}'"),
    "location_missing": (
        "lieu vide (donnez --location pour tout le fichier)",
        "location is empty (give --location for the whole file)",
    ),
    "location_unknown": ("lieu inconnu « {value} »", "unknown location '{value}'"),
    "state_unknown": ("état inconnu « {value} »", "unknown state '{value}'"),
    "state_needs_evidence": (
        "l'état « {value} » ne s'importe pas (au plus « received ») : reemploi move y mène, avec ce qu'il exige "
        "(tests, effacement, motif…)",
        "state '{value}' cannot be imported (at most 'received'): reemploi move gets there, with what it needs "
        "(tests, wipe, a reason…)",
    ),
    "state_change_refused": (
        "passage de « {state} » à « {value} » refusé : {why}",
        "change from '{state}' to '{value}' refused: {why}",
    ),
    "row_too_long": (
        "{cells} cellules pour {width} colonnes (séparateur non protégé ?)",
        "{cells} cells for {width} columns (unquoted delimiter?)",
    ),
    "code_missing": ("code vide", "code is empty"),
    "code_invalid": ("code invalide « {value} »", "invalid code '{value}'"),
    "code_duplicate": ("code {value} déjà vu ligne {line}", "code {value} already seen on line {line}"),
    "name_missing": ("nom vide", "name is empty"),
    "kind_missing": ("type vide (donnez --kind)", "kind is empty (give --kind)"),
    "kind_invalid": ("type inconnu « {value} » (types : {kinds})", "unknown kind '{value}' (kinds: {kinds})"),
    "number_invalid": ("{field} : nombre invalide « {value} »", "{field}: invalid number '{value}'"),
    "number_range": ("{field} : {value} hors de [{low}, {high}]", "{field}: {value} outside [{low}, {high}]"),
    "date_invalid": (
        "{field} : date invalide « {value} » (AAAA-MM-JJ)",
        "{field}: invalid date '{value}' (YYYY-MM-DD)",
    ),
    "alias_taken": ("alias {value} déjà utilisé par {model}", "alias {value} already used by {model}"),
    "value_too_long": ("{field} : plus de {max} caractères", "{field}: longer than {max} characters"),
    # Workflow.
    "transition_not_allowed": (
        "{serial} : passage de « {state} » à « {target} » non permis (possibles : {allowed})",
        "{serial}: '{state}' to '{target}' is not allowed (allowed: {allowed})",
    ),
    "guard_reason": (
        "{serial} : « {state} » exige un motif (pourquoi, par exemple où l'équipement a été retrouvé)",
        "{serial}: '{state}' needs a reason (why, for instance where the device was found)",
    ),
    "guard_location_kind": (
        "{serial} : « {state} » exige un lieu de type {kinds} (lieu actuel : {location}) ; indiquez où il est",
        "{serial}: '{state}' needs a location of kind {kinds} (location now: {location}); say where it is",
    ),
    "guard_evidence": (
        "{serial} : « {state} » exige un enregistrement « {evidence} », absent",
        "{serial}: '{state}' needs a '{evidence}' record, and there is none",
    ),
    "lot_exists": ("Le lot {lot} existe déjà.", "Lot {lot} already exists."),
    "lot_code_empty": ("Code de lot vide.", "Empty lot code."),
    "audit_gap": ("événement n° {seq} manquant (supprimé ?)", "event #{seq} is missing (deleted?)"),
    "audit_link": (
        "événement n° {seq} : chaînage rompu (inséré, supprimé ou réordonné ?)",
        "event #{seq}: chain link broken (inserted, deleted or reordered?)",
    ),
    "audit_edited": ("événement n° {seq} : contenu modifié", "event #{seq}: content was edited"),
    "audit_head": (
        "la tête de chaîne désigne l'événement n° {head} mais le dernier présent est le n° {last} : "
        "fin du journal supprimée ou ajoutée ?",
        "the chain head names event #{head} but the last one present is #{last}: tail deleted or appended?",
    ),
    "audit_device_state": (
        "l'équipement {serial} est « {state} » alors que son dernier événement (n° {last}) le laisse « {logged} » : "
        "la table des équipements a été modifiée hors de reemploi",
        "device {serial} is '{state}' but its last event (#{last}) leaves it '{logged}': "
        "the devices table was changed outside reemploi",
    ),
    "audit_device_unlogged": (
        "l'équipement {serial} n'a aucun événement dans le journal : il a été ajouté hors de reemploi",
        "device {serial} has no event in the log: it was added outside reemploi",
    ),
    # Refurbishment bench.
    "refurb_not_testable": (
        "{serial} : un équipement « {state} » ne se teste pas ici (il doit être reçu au centre)",
        "{serial}: a device in state '{state}' cannot be tested here (it must be received first)",
    ),
    "refurb_not_repairable": (
        "{serial} : réparation possible seulement après un test (état : {state})",
        "{serial}: a repair follows a test (state: {state})",
    ),
    "refurb_not_sanitizable": (
        "{serial} : effacement possible seulement après un test (état : {state})",
        "{serial}: a wipe follows a test (state: {state})",
    ),
    "refurb_not_disposable": (
        "{serial} : seuls les équipements « to_recycle » ou « harvested » partent au recyclage (état : {state})",
        "{serial}: only devices in 'to_recycle' or 'harvested' go to a recycler (state: {state})",
    ),
    "sanitization_failed": (
        "{serial} : effacement « {method} » en échec, enregistré ; l'équipement reste en place",
        "{serial}: wipe '{method}' failed, recorded; the device stays where it is",
    ),
    "repair_no_action": ("Décrivez la réparation (--action).", "Describe the repair (--action)."),
    "verifier_is_operator": (
        "Le second vérificateur doit être une autre personne que l'opérateur.",
        "The second verifier must be someone other than the operator.",
    ),
    "upgrade_no_version": ("Donnez la version installée (--to).", "Give the installed version (--to)."),
    "disposal_no_reference": (
        "Donnez la référence du bordereau ou du certificat DEEE (--reference).",
        "Give the WEEE certificate or tracking reference (--reference).",
    ),
    "disposal_not_recycler": (
        "{location} est de type « {kind} », pas un recycleur.",
        "{location} is a '{kind}', not a recycler.",
    ),
    "disposal_bad_weight": ("Poids invalide : {weight} kg.", "Invalid weight: {weight} kg."),
    "bad_part": (
        "--part {value} : attendu PIÈCE:MASSE_KG, ex. « module radio:0.05 ».",
        "--part {value}: expected PART:MASS_KG, e.g. 'radio module:0.05'.",
    ),
    "bad_choice": ("{field} : « {value} » n'est pas parmi {choices}", "{field}: '{value}' is not one of {choices}"),
    "guard_no_new_test": (
        "{serial} : « {state} » exige un test enregistré depuis l'arrivée dans l'état actuel",
        "{serial}: '{state}' needs a test recorded since the device entered its current state",
    ),
    "guard_no_test": ("{serial} : « {state} » exige un test", "{serial}: '{state}' needs a test"),
    "guard_test_not_passed": (
        "{serial} : le dernier test n'est pas concluant (grade {grade}, décision {decision} : {why_fr})",
        "{serial}: the last test did not pass (grade {grade}, decision {decision}: {why})",
    ),
    "guard_no_passing_test": (
        "{serial} : pas de test concluant : testez d'abord",
        "{serial}: no passing test: test it first",
    ),
    "guard_sanitization_stale": (
        "{serial} : aucun effacement réussi depuis le dernier test ({tested}) : effacez-le",
        "{serial}: no passing wipe since the last test ({tested}): sanitize it",
    ),
    "guard_firmware": (
        "{serial} : micrologiciel {found} sous le minimum {minimum} pour {model} : mettez-le à jour",
        "{serial}: firmware {found} is below the minimum {minimum} for {model}: upgrade it",
    ),
    "guard_support": (
        "{serial} : le support de {model} par le fabricant finit le {end}, avant l'horizon de seconde vie ({horizon})",
        "{serial}: vendor support for {model} ends on {end}, before the second-life horizon ({horizon})",
    ),
    "guard_no_disposal": (
        "{serial} : « recycled » exige un bordereau DEEE (reemploi refurb dispose)",
        "{serial}: 'recycled' needs a WEEE disposal record (reemploi refurb dispose)",
    ),
    "rules_no_default": (
        "{file} : la dernière règle de grading doit être sans condition (la règle par défaut)",
        "{file}: the last grading rule must have no condition (the default)",
    ),
    "rules_bad_condition": (
        "{file} : condition illisible « {condition} » (champs : {fields})",
        "{file}: unreadable condition '{condition}' (fields: {fields})",
    ),
    "rules_bad_grade": ("{file} : grade « {grade} » inconnu ({grades})", "{file}: unknown grade '{grade}' ({grades})"),
    "rules_bad_decision": (
        "{file} : décision « {decision} » inconnue ({decisions})",
        "{file}: unknown decision '{decision}' ({decisions})",
    ),
    "setting_unknown": ("Réglage inconnu : {key} (réglages : {keys})", "Unknown setting: {key} (settings: {keys})"),
    "setting_invalid": (
        "{key} : « {value} » invalide (nombre entre {low} et {high})",
        "{key}: invalid '{value}' (a number from {low} to {high})",
    ),
    "file_bad_json": ("{file} : JSON illisible ({error}).", "{file}: unreadable JSON ({error})."),
    "unknown_site": ("Site inconnu : {site}", "Unknown site: {site}"),
    "site_unknown": (
        "site inconnu « {value} » (importez-le avec reemploi sites import)",
        "unknown site '{value}' (import it with reemploi sites import)",
    ),
    "site_code_taken": (
        "le code {value} est déjà un lieu de type « {kind} »",
        "code {value} is already a '{kind}' location",
    ),
    "value_missing": ("{field} : valeur manquante", "{field}: value missing"),
    "zone_area": (
        "surface « {value} » : une zone doit avoir une surface > 0 m²",
        "area '{value}': a zone needs an area > 0 m²",
    ),
    "needs_total": (
        "{count} AP nécessaires sur {sites} site(s) ; {provided} déjà en place ou en route, {remaining} à pourvoir.",
        "{count} APs needed over {sites} site(s); {provided} already there or on their way, {remaining} to fill.",
    ),
    "needs_set": (
        "{site} / {need_class} : {count} retenu (valeur calculée conservée à côté).",
        "{site} / {need_class}: {count} kept (the computed value stays beside it).",
    ),
    "labels_written": ("{count} étiquette(s) écrite(s) dans {file}", "{count} label(s) written to {file}"),
    "certificate_written": (
        "Certificat du lot {lot} : {file} ({passed} effacés, {failed} en échec, {missing} sans effacement) ; "
        "SHA-256 {digest}",
        "Certificate for lot {lot}: {file} ({passed} wiped, {failed} failed, {missing} without a wipe); "
        "SHA-256 {digest}",
    ),
    "unknown_plan": ("Plan inconnu : {plan}", "Unknown plan: {plan}"),
    "plan_not_draft": (
        "Le plan {plan} est « {status} » : seul un brouillon s'approuve.",
        "Plan {plan} is '{status}': only a draft can be approved.",
    ),
    "plan_not_cancellable": (
        "Le plan {plan} est « {status} » : il ne s'annule plus.",
        "Plan {plan} is '{status}': it can no longer be cancelled.",
    ),
    "plan_exceeds_needs": (
        "Le plan {plan} envoie {planned} AP ({need_class}) à {site}, qui n'en attend plus que {left} : d'autres "
        "plans y ont pourvu depuis son calcul. Calculez un nouveau plan (reemploi plan create).",
        "Plan {plan} sends {planned} {need_class} APs to {site}, which now awaits only {left}: other plans have met "
        "the need since it was computed. Compute a new plan (reemploi plan create).",
    ),
    "plan_stale": (
        "Plan {plan} : {count} équipement(s) ne sont plus prêts (ex. {serial}) ; rien n'a été réservé, "
        "refaites un plan.",
        "Plan {plan}: {count} device(s) are no longer ready (e.g. {serial}); nothing was reserved, make a new plan.",
    ),
    "guard_no_plan": (
        "{serial} : « {state} » exige un plan d'affectation approuvé",
        "{serial}: '{state}' needs an approved allocation plan",
    ),
    "plan_summary": (
        "Plan {plan} ({status}) : {assigned} AP affectés sur {needed} nécessaires, {unmet} manquants, "
        "{unused} en stock non utilisés ; transport {transport} kgCO2e ; {solver}, optimal : {optimal}, écart {gap}",
        "Plan {plan} ({status}): {assigned} APs assigned of {needed} needed, {unmet} missing, {unused} unused in "
        "stock; transport {transport} kgCO2e; {solver}, optimal: {optimal}, gap {gap}",
    ),
    "plan_greedy": (
        "Référence gloutonne : {assigned} affectés, {unmet} manquants, transport {transport} kgCO2e "
        "(économie du plan : {saving} kgCO2e)",
        "Greedy baseline: {assigned} assigned, {unmet} missing, transport {transport} kgCO2e (the plan saves "
        "{saving} kgCO2e)",
    ),
    "plan_purchase": (
        "À acheter : {count} AP {need_class} (Wi-Fi {gen} minimum)",
        "To buy: {count} {need_class} APs (Wi-Fi {gen} at least)",
    ),
    "plan_no_stock": (
        "Aucun AP prêt en stock : tout le besoin reste à couvrir.",
        "No ready AP in stock: every need is unmet.",
    ),
    "plan_no_needs": (
        "Aucun besoin : importez des sites et des zones (reemploi sites import, zones import).",
        "No needs: import sites and zones (reemploi sites import, zones import).",
    ),
    "plan_approved": (
        "Plan {plan} approuvé : {count} équipement(s) réservé(s).",
        "Plan {plan} approved: {count} device(s) reserved.",
    ),
    "plan_cancelled": (
        "Plan {plan} annulé : {count} équipement(s) remis en stock.",
        "Plan {plan} cancelled: {count} device(s) back in stock.",
    ),
    "plan_other_approved": (
        "Le plan {other} est déjà approuvé et couvre les mêmes besoins : annulez-le (reemploi plan cancel {other}) "
        "ou exécutez-le avant d'approuver le plan {plan}.",
        "Plan {other} is already approved and covers the same needs: cancel it (reemploi plan cancel {other}) or "
        "carry it out before approving plan {plan}.",
    ),
    "plan_empty": (
        "Le plan {plan} n'affecte aucun équipement : rien à approuver.",
        "Plan {plan} assigns no device: nothing to approve.",
    ),
    "plan_purchase_any": (
        "À acheter : {count} AP {need_class} (toute génération Wi-Fi)",
        "To buy: {count} {need_class} APs (any Wi-Fi generation)",
    ),
    "plan_unserved": (
        "Sites non servis ({count}) :",
        "Unserved sites ({count}):",
    ),
    "plan_unserved_row": (
        "  {site} {site_name} / {need_class} : {missing} manquant(s) sur {needed}",
        "  {site} {site_name} / {need_class}: {missing} missing of {needed}",
    ),
    "location_past_collection": (
        "{serial} est « {state} » à {current} : un import ne le ramène pas à {value} (après la collecte, son lieu "
        "suit ses mouvements)",
        "{serial} is '{state}' at {current}: an import does not move it back to {value} (after collection its place "
        "follows its moves)",
    ),
    "import_reject_line": ("  ligne {line} : {reason}", "  line {line}: {reason}"),
    "plan_switches": (
        "Commutateurs pour les AP placés : {needed} nécessaires, {assigned} pris en stock, {missing} manquants, "
        "{unused} prêts non utilisés ; transport {transport} kgCO2e",
        "Switches for the APs placed: {needed} needed, {assigned} from stock, {missing} missing, {unused} ready "
        "unused; transport {transport} kgCO2e",
    ),
    "plan_purchase_switch": (
        "À acheter : {count} commutateur(s) {model} ou équivalent ({ports} ports PoE, {budget} W)",
        "To buy: {count} {model} switch(es) or equivalent ({ports} PoE ports, {budget} W)",
    ),
    "needs_count_negative": (
        "Le nombre doit être ≥ 0 (reçu : {value}).",
        "COUNT must be ≥ 0 (got {value}).",
    ),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "unknown_shipment": ("Expédition inconnue : {shipment}", "Unknown shipment: {shipment}"),
    "plan_not_approved": (
        "Le plan {plan} est « {status} » : seul un plan approuvé s'expédie.",
        "Plan {plan} is '{status}': only an approved plan is shipped.",
    ),
    "shipments_exist": (
        "Les expéditions du plan {plan} existent déjà (reemploi ship list --plan {plan}).",
        "Plan {plan} already has its shipments (reemploi ship list --plan {plan}).",
    ),
    "shipment_status": (
        "L'expédition {shipment} est « {status} » : action impossible.",
        "Shipment {shipment} is '{status}': not possible now.",
    ),
    "not_in_shipment": ("Pas dans l'expédition {shipment} : {serials}", "Not in shipment {shipment}: {serials}"),
    "ship_total": (
        "{count} expédition(s), transport total {kg} kgCO2e.",
        "{count} shipment(s), transport {kg} kgCO2e.",
    ),
    "acceptance": (
        "Site {site} : {installed} installés sur {planned} prévus, {gaps} manquant(s).",
        "Site {site}: {installed} installed of {planned} planned, {gaps} missing.",
    ),
    "bench_summary": (
        "{done} enregistré(s), {refused} refusé(s), {unknown} inconnu(s).",
        "{done} recorded, {refused} refused, {unknown} unknown.",
    ),
    "bench_tested": (
        "{serial} : grade {grade}, {decision} — {reason}",
        "{serial}: grade {grade}, {decision} — {reason}",
    ),
    # CLI summaries.
    "init_done": (
        "Base prête : {url} (révision {rev}). Catalogue : {created} créés, {updated} mis à jour, "
        "{unchanged} inchangés.",
        "Database ready: {url} (revision {rev}). Catalog: {created} created, {updated} updated, {unchanged} unchanged.",
    ),
    "schema_upgraded": ("Schéma à jour : révision {rev}", "Schema up to date: revision {rev}"),
    "schema_current": ("{rev} (tête {head}) : à jour", "{rev} (head {head}): up to date"),
    "schema_behind": (
        "{rev} (tête {head}) : à mettre à jour (reemploi db upgrade)",
        "{rev} (head {head}): needs upgrade (reemploi db upgrade)",
    ),
    "import_counts": (
        "{rows} lignes : {created} créées, {updated} mises à jour, {unchanged} inchangées, {rejected} rejetées.",
        "{rows} rows: {created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected.",
    ),
    "rejects_at": ("Rejets : {file}", "Rejects: {file}"),
    "dry_run": ("Essai à blanc : rien n'a été écrit en base.", "Dry run: nothing was written."),
    "list_truncated": (
        "Seuls les {count} premiers sont affichés : --limit 0 pour tout, ou reemploi devices export.",
        "Only the first {count} are shown: --limit 0 for all, or reemploi devices export.",
    ),
    "device_count": ("{count} équipement(s)", "{count} device(s)"),
    "columns_left_out": (
        "Colonnes omises faute de largeur : {columns} (terminal plus large, ou --json).",
        "Columns left out for lack of width: {columns} (a wider terminal, or --json).",
    ),
    "exported": ("{count} équipement(s) exporté(s) vers {file}", "{count} device(s) exported to {file}"),
    "move_summary": (
        "{moved} déplacé(s) vers « {target} », {refused} refusé(s), {unknown} inconnu(s).",
        "{moved} moved to '{target}', {refused} refused, {unknown} unknown.",
    ),
    "move_already": (
        "{count} déjà en « {target} » (rien de changé).",
        "{count} already '{target}' (nothing changed).",
    ),
    "scan_unknown": ("{serial} : inconnu, scan conservé", "{serial}: unknown, scan kept"),
    "lot_created": ("Lot {lot} créé.", "Lot {lot} created."),
    "lot_taken_from": (
        "{serial} : retiré du lot {before} pour le lot {lot}",
        "{serial}: taken out of lot {before} into lot {lot}",
    ),
    "lot_added": (
        "Lot {lot} : {added} ajouté(s), {already} déjà présent(s), {unknown} inconnu(s).",
        "Lot {lot}: {added} added, {already} already in, {unknown} unknown.",
    ),
    "reconcile_summary": (
        "Lot {lot} : {expected} attendus, {matched} scannés, {missing} manquants, {unexpected} inattendus, "
        "{unknown} inconnus.",
        "Lot {lot}: {expected} expected, {matched} scanned, {missing} missing, {unexpected} unexpected, "
        "{unknown} unknown.",
    ),
    "reconcile_missing": ("  manquant    {serial}", "  missing     {serial}"),
    "reconcile_unexpected": ("  inattendu   {serial} (lot {lot})", "  unexpected  {serial} (lot {lot})"),
    "reconcile_unknown": ("  inconnu     {serial}", "  unknown     {serial}"),
    "audit_intact": (
        "Journal intact : {count} événements, tête {head}",
        "Audit log intact: {count} events, head {head}",
    ),
    "audit_tampered": ("Journal altéré : {why}", "Audit log tampered with: {why}"),
    "no_events": ("Aucun événement.", "No events."),
    "demo_title": (
        "Démo Paris 2024 → La Poste : collecte, reconditionnement, besoins des sites et affectation",
        "Paris 2024 → La Poste demo: collection, refurbishment, site needs and allocation",
    ),
    "demo_venues": ("Sites JOP : {venues}", "Venues: {venues}"),
    "demo_export": (
        "Export terrain : {rows} lignes, {imported} équipements importés, {rejected} rejetées → {file}",
        "Field export: {rows} rows, {imported} devices imported, {rejected} rejected → {file}",
    ),
    "demo_lots": (
        "Lots (palettes) : {lots} ; perdus au démontage : {lost}",
        "Lots (pallets): {lots}; lost at take-down: {lost}",
    ),
    "demo_reception": (
        "Réception : {expected} attendus, {matched} scannés, {missing} manquants, {unexpected} inattendus "
        "(retrouvés : {found}), {unknown} scans inconnus",
        "Reception: {expected} expected, {matched} scanned, {missing} missing, {unexpected} unexpected "
        "(found again: {found}), {unknown} unknown scans",
    ),
    "demo_bench": (
        "Atelier : {tests} tests, {repairs} réparations, {upgrades} mises à jour, {wipes} effacements, "
        "{recycled} recyclés (bordereau DEEE)",
        "Bench: {tests} tests, {repairs} repairs, {upgrades} upgrades, {wipes} wipes, "
        "{recycled} recycled (WEEE record)",
    ),
    "demo_needs": (
        "Besoins de {sites} sites La Poste (illustratifs, sauf la Maison de l'Innovation) : {indoor} AP intérieurs "
        "et {outdoor} extérieurs ; en stock prêt : {ready_indoor} et {ready_outdoor}",
        "Needs of {sites} La Poste sites (illustrative, but for the Maison de l'Innovation): {indoor} indoor and "
        "{outdoor} outdoor APs; ready stock: {ready_indoor} and {ready_outdoor}",
    ),
    "demo_plan": (
        "Plan {plan} (optimal, HiGHS) : {assigned} AP affectés pour {needed} nécessaires, {unmet} à acheter, "
        "{unused} restent en stock ; transport {transport} kgCO2e contre {greedy} en glouton (économie {saving})",
        "Plan {plan} (optimal, HiGHS): {assigned} APs assigned for {needed} needed, {unmet} to buy, "
        "{unused} left in stock; transport {transport} kgCO2e against {greedy} greedy (saving {saving})",
    ),
    "demo_shipped": (
        "{shipments} expéditions ({boxes} colis, {pallets} palettes) livrées et installées : "
        "{in_service} équipements en service sur les sites La Poste (les AP et leurs commutateurs)",
        "{shipments} shipments ({boxes} boxes, {pallets} pallets) delivered and installed: "
        "{in_service} devices in service at La Poste sites (the APs and their switches)",
    ),
    "demo_grades": ("Grades : {grades}", "Grades: {grades}"),
    "demo_ready": (
        "Remis en état pour le réemploi (prêts ou au-delà) : {ap} des AP intérieurs, {outdoor} des AP extérieurs, "
        "{switch} des commutateurs",
        "Released for reuse (ready or further): {ap} of indoor APs, {outdoor} of outdoor APs, {switch} of switches",
    ),
    "demo_audit": (
        "Journal d'audit : {count} événements, {verdict} (tête {head}…)",
        "Audit log: {count} events, {verdict} (head {head}…)",
    ),
    "intact": ("intact", "intact"),
    "tampered": ("ALTÉRÉ", "TAMPERED"),
    "demo_database": (
        "Base : {db} ({seconds} s). Essayez : reemploi devices list --db sqlite:///{db} --state lost",
        "Database: {db} ({seconds} s). Try: reemploi devices list --db sqlite:///{db} --state lost",
    ),
    "state": ("état", "state"),
    "internal_error": (
        "reemploi : erreur interne (un bogue, pas votre saisie) ; détails dans {path}. Rien n'a été enregistré. "
        "REEMPLOI_DEBUG=1 affiche la trace.",
        "reemploi: internal error (a bug, not your input); details in {path}. Nothing was committed. "
        "Set REEMPLOI_DEBUG=1 to see the traceback.",
    ),
    # The bench scan screen (reemploi scan).
    "scan_ready": (
        "Scannez un équipement, puis une touche. Ligne vide ou q : fin.",
        "Scan a device, then a key. Empty line or q: quit.",
    ),
    "scan_device": (
        "{serial} · {model} · état {state} · grade {grade}",
        "{serial} · {model} · state {state} · grade {grade}",
    ),
    "scan_last_test": (
        "  dernier test {at} : grade {grade}, {decision} — {reason}",
        "  last test {at}: grade {grade}, {decision} — {reason}",
    ),
    "scan_no_test": ("  aucun test", "  no test yet"),
    "scan_firmware": (
        "  micrologiciel {found} (minimum {minimum})",
        "  firmware {found} (minimum {minimum})",
    ),
    "scan_blocked": ("  bloqué : {why}", "  blocked: {why}"),
    "scan_choices": ("  touches : {choices}", "  keys: {choices}"),
    "scan_fault_choices": ("  quelle panne ? {choices}", "  which fault? {choices}"),
    "scan_note_ready": (
        "  en stock, prêt au réemploi : rien à faire ici",
        "  in stock, ready for reuse: nothing to do here",
    ),
    "scan_note_recycler": (
        "  part au recyclage : reemploi refurb dispose",
        "  goes to a recycler: reemploi refurb dispose",
    ),
    "scan_note_not_here": (
        "  pas à l'atelier (état {state}) : rien à faire ici",
        "  not at the bench (state {state}): nothing to do here",
    ),
    "scan_done": ("{serial} → {state}", "{serial} → {state}"),
    "scan_done_upgrade": ("{serial} : micrologiciel {version} enregistré", "{serial}: firmware {version} recorded"),
    "scan_unknown_scan": (
        "« {code} » : aucun équipement, scan conservé (reemploi scans unmatched)",
        "'{code}': no such device, scan kept (reemploi scans unmatched)",
    ),
    "scan_unknown_key": (
        "« {key} » : touche inconnue ; touches : {choices}",
        "'{key}': unknown key; keys: {choices}",
    ),
    "scan_no_device": ("Scannez d'abord un équipement.", "Scan a device first."),
    "scan_not_offered": (
        "{serial} : « {key} » ({action}) n'est pas proposé pour cet équipement (état « {state} ») ; "
        "touches : {choices}",
        "{serial}: '{key}' ({action}) is not offered for this device (state '{state}'); keys: {choices}",
    ),
    "scan_no_fault": (
        "Précisez la panne : {faults}",
        "Say which fault: {faults}",
    ),
    "scan_bad_fault": ("Panne inconnue ; pannes : {faults}", "Unknown fault; faults: {faults}"),
    "scan_no_firmware": (
        "Donnez la version de micrologiciel installée (--firmware VERSION au terminal, le champ micrologiciel "
        "sur la page de scan).",
        "Give the firmware version installed (--firmware VERSION in the terminal, the firmware field on the "
        "scan page).",
    ),
    "scan_no_action": (
        "Donnez --action avec des numéros de série (ou -), ou rien pour le mode interactif.",
        "Give --action with serials (or -), or neither for the interactive mode.",
    ),
    "scan_bye": (
        "{actions} action(s), {refused} refus, {unknown} scan(s) inconnu(s).",
        "{actions} action(s), {refused} refused, {unknown} unknown scan(s).",
    ),
    # Bench review fixes (issue 3).
    "transition_not_received": (
        "{serial} : passage de « {state} » à « {target} » non permis : l'équipement doit d'abord être reçu "
        "(possibles : {allowed})",
        "{serial}: '{state}' to '{target}' is not allowed: the device must be received first (allowed: {allowed})",
    ),
    "refurb_not_received": (
        "{serial} : l'équipement est « {state} » : il doit d'abord être reçu au centre",
        "{serial}: the device is '{state}': it must be received first",
    ),
    "refurb_not_at_bench": (
        "{serial} : un équipement « {state} » n'est pas à l'atelier : rien à tester ici",
        "{serial}: a device in state '{state}' is not at the bench: nothing to test here",
    ),
    "verifier_blank": (
        "--verifier est vide : donnez le nom du second vérificateur, ou omettez l'option.",
        "--verifier is empty: give the second verifier's name, or leave the option out.",
    ),
    "sanitize_summary": (
        "Effacements : {passed} réussi(s), {failed} en échec, {refused} refusé(s), {unknown} inconnu(s).",
        "Wipes: {passed} passed, {failed} failed, {refused} refused, {unknown} unknown.",
    ),
    "sanitize_passed_means": (
        "  réussi : effacement enregistré, l'équipement est « sanitized » (ou reste en stock)",
        "  passed: wipe recorded, the device is sanitized (or stays in stock)",
    ),
    "sanitize_failed_means": (
        "  en échec : effacement enregistré, l'équipement reste où il est et ne peut pas être « ready » "
        "avant un effacement réussi",
        "  failed: wipe recorded, the device stays where it is and cannot become ready until a wipe passes",
    ),
    "sanitize_refused_means": (
        "  refusé : rien n'est enregistré, l'équipement ne change pas (raison ci-dessus)",
        "  refused: nothing recorded, the device is unchanged (reason above)",
    ),
    "labels_format": (
        "{file} : les étiquettes s'écrivent en .pdf (planche A4) ou .zpl (imprimante thermique).",
        "{file}: labels are written as .pdf (A4 sheet) or .zpl (thermal printer).",
    ),
    "certificate_format": (
        "{file} : le certificat est un PDF : donnez un nom de fichier en .pdf.",
        "{file}: the certificate is a PDF: give a file name ending in .pdf.",
    ),
    "rejects_kept": (
        "({file} existait déjà : laissé tel quel, les rejets vont dans un nouveau fichier)",
        "({file} already existed: left as it was, the rejects went to a new file)",
    ),
    "setting_set": ("{key} = {value} (défaut : {default})", "{key} = {value} (default: {default})"),
    # What each setting means (reemploi settings list); English falls back to the setting's own help.
    "setting_help_horizon_years": (
        "horizon de seconde vie (années) : le support du fabricant doit le couvrir pour qu'un équipement soit prêt",
        "second-life horizon (years): vendor support must cover it for a device to be ready",
    ),
    "setting_help_box_capacity": ("équipements par carton d'expédition", "devices per shipping box"),
    "setting_help_pallet_capacity": ("cartons par palette", "boxes per pallet"),
    "setting_help_target_reuse_ap": (
        "objectif de taux de réemploi des points d'accès (part de ceux déposés)",
        "reuse-rate target for access points (share of those taken down)",
    ),
    "setting_help_target_reuse_switch": (
        "objectif de taux de réemploi des commutateurs (part de ceux déposés)",
        "reuse-rate target for switches (share of those taken down)",
    ),
    "setting_help_attribution_source_share": (
        "part des émissions évitées attribuée à l'organisation d'origine ; le reste à la destination",
        "share of the avoided emissions attributed to the source organisation; the rest to the destination",
    ),
    # One-key actions and faults, as the menu shows them.
    "scan_action_test-pass": ("test réussi", "test passed"),
    "scan_action_test-wear": ("test réussi, usure esthétique", "test passed, cosmetic wear"),
    "scan_action_test-fail": ("test en échec (+ panne)", "test failed (+ fault)"),
    "scan_action_repair": ("envoyer en réparation", "send to repair"),
    "scan_action_sanitize": (
        "effacé (configuration effacée puis vérifiée)",
        "wiped (configuration erased, then verified)",
    ),
    "scan_action_upgrade": ("micrologiciel mis à jour ({version})", "firmware upgraded ({version})"),
    "scan_action_ready": ("prêt au réemploi", "ready for reuse"),
    "scan_action_harvest": ("garder pour pièces", "keep for parts"),
    "scan_action_recycle": ("à recycler", "to recycle"),
    "scan_fault_power": ("ne s'allume pas", "no power"),
    "scan_fault_boot": ("ne démarre pas", "does not boot"),
    "scan_fault_radio_24": ("radio 2,4 GHz", "2.4 GHz radio"),
    "scan_fault_radio_5": ("radio 5 GHz", "5 GHz radio"),
    "scan_fault_radio_6": ("radio 6 GHz", "6 GHz radio"),
    "scan_fault_eth": ("Ethernet sous 1 Gb/s", "Ethernet below 1 Gb/s"),
    "scan_fault_ports": ("port endommagé", "damaged port"),
    "scan_fault_casing": ("boîtier cassé", "broken casing"),
}


def current_lang(explicit: str | None = None) -> str:
    """``explicit``, else REEMPLOI_LANG, else French when the locale is French, else English.

    An explicit language must be one of ``LANGS`` (the caller validates it with
    ``is_lang``); the environment falls back quietly.
    """
    if explicit and is_lang(explicit):
        return explicit.lower()[:2]
    value = os.environ.get("REEMPLOI_LANG")
    if value and value.lower()[:2] in LANGS:
        return value.lower()[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def is_lang(value: str) -> bool:
    v = value.lower()
    return v in LANGS or v.replace("-", "_").split("_")[0] in LANGS


# Column headers of the tables the CLI prints.
HEADERS: dict[str, str] = {
    "serial": "n° de série", "model": "modèle", "kind": "type", "state": "état", "grade": "grade",
    "location": "lieu", "lot": "lot", "mac": "MAC", "vendor": "fabricant", "wifi": "wifi", "PoE": "PoE",
    "kg": "kg", "kgCO2e (low-high)": "kgCO2e (bas-haut)", "aliases": "alias", "code": "code", "name": "nom",
    "city": "ville", "lat": "lat", "lon": "lon", "devices": "équipements", "origin": "origine", "seal": "scellé",
    "carrier": "transporteur", "#": "n°", "at (UTC)": "date (UTC)", "actor": "acteur", "action": "action",
    "from → to": "de → vers", "data": "données", "context": "contexte", "asset_tag": "n° d'inventaire",
    "attributes": "attributs", "total": "total", "decision": "décision", "when": "si", "reason": "motif",
    "key": "réglage", "value": "valeur", "default": "défaut", "help": "aide", "site": "site", "class": "classe",
    "count": "nombre", "driver": "critère", "shipment": "expédition", "boxes": "colis", "pallets": "palettes",
    "status": "statut", "assigned": "affectés", "unmet": "manquants",
    "switch": "commutateur", "PoE W": "PoE W", "APs": "AP",
}  # fmt: skip


def header(name: str, lang: str) -> str:
    return HEADERS.get(name, name) if lang == "fr" else name


def refusal_reason(code: str, lang: str, /, **params: Any) -> str:
    """A refusal's reason without its leading serial, for a message that names the device already."""
    text = t(code, lang, **params)
    serial = params.get("serial")
    for sep in (" : ", ": "):
        if serial and text.startswith(f"{serial}{sep}"):
            return text[len(str(serial)) + len(sep) :]
    return text


# Lifecycle states as readers name them (web pages, reports; ``parse_state`` reads them too).
MESSAGES.update(
    {
        "web_state_deployed": ("en place", "deployed"),
        "web_state_collected": ("collecté", "collected"),
        "web_state_in_transit": ("en transit", "in transit"),
        "web_state_received": ("reçu", "received"),
        "web_state_tested": ("testé", "tested"),
        "web_state_in_repair": ("en réparation", "in repair"),
        "web_state_sanitized": ("effacé", "sanitized"),
        "web_state_ready": ("prêt", "ready"),
        "web_state_reserved": ("réservé", "reserved"),
        "web_state_shipped": ("expédié", "shipped"),
        "web_state_installed": ("installé", "installed"),
        "web_state_in_service": ("en service", "in service"),
        "web_state_to_recycle": ("à recycler", "to recycle"),
        "web_state_recycled": ("recyclé", "recycled"),
        "web_state_lost": ("perdu", "lost"),
        "web_state_harvested": ("pour pièces", "harvested"),
    }
)


def state_label(state: str | None, lang: str) -> str:
    """A lifecycle state as readers name it (the web's labels), else its code."""
    code = f"web_state_{state}"
    return t(code, lang) if code in MESSAGES else (state or "-")


def t(code: str, lang: str, /, **params: Any) -> str:
    pair = MESSAGES.get(code)
    if pair is None:
        return f"{code}: {params}" if params else code
    template = pair[0] if lang == "fr" else pair[1]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return f"{template} {params}"


# Accounts, tokens and the HTTP API (reemploi.accounts, reemploi.cli.accounts, reemploi.api).
MESSAGES.update(
    {
        "unknown_user": ("Utilisateur inconnu : {user}", "Unknown user: {user}"),
        "unknown_token": ("Jeton inconnu : {token}", "Unknown token: {token}"),
        "unknown_role": ("Rôle inconnu : {role} (rôles : {roles})", "Unknown role: {role} (roles: {roles})"),
        "user_name_invalid": (
            "Nom d'utilisateur invalide : « {user} » (lettres, chiffres, . _ - @ ; 120 caractères au plus).",
            "Invalid user name: '{user}' (letters, digits, . _ - @; at most 120 characters).",
        ),
        "user_exists": ("L'utilisateur {user} existe déjà.", "User {user} already exists."),
        "user_disabled": ("L'utilisateur {user} est désactivé.", "User {user} is disabled."),
        "password_empty": ("Mot de passe vide refusé.", "An empty password is refused."),
        "password_short": (
            "Mot de passe trop court : {min} caractères au moins.",
            "Password too short: at least {min} characters.",
        ),
        "password_weak": (
            "Mot de passe trop faible (trop courant, trop répétitif ou contenant le nom).",
            "Password too weak (too common, too repetitive, or containing the user name).",
        ),
        "password_mismatch": ("Les deux saisies diffèrent.", "The two entries differ."),
        "password_prompt": ("Mot de passe", "Password"),
        "password_prompt_again": ("Mot de passe (encore)", "Password (again)"),
        "token_ambiguous": (
            "Plusieurs jetons commencent par {token} : donnez son numéro.",
            "Several tokens start with {token}: give its id.",
        ),
        "user_created": ("Utilisateur {user} créé (rôle {role}).", "User {user} created (role {role})."),
        "user_disabled_done": (
            "Utilisateur {user} désactivé ; {tokens} jeton(s) révoqué(s).",
            "User {user} disabled; {tokens} token(s) revoked.",
        ),
        "token_created": (
            "Jeton pour {user} (affiché une seule fois, gardez-le) :",
            "Token for {user} (shown once, keep it):",
        ),
        "token_revoked": ("Jeton {token} ({user}) révoqué.", "Token {token} ({user}) revoked."),
        "no_users": ("Aucun utilisateur.", "No users."),
        "no_tokens": ("Aucun jeton.", "No tokens."),
        "serve_start": (
            "reemploi : interface web sur http://{host}:{port}/ , API sur http://{host}:{port}/api/v1 "
            "(base {url}) ; Ctrl-C pour arrêter.",
            "reemploi: web UI on http://{host}:{port}/ , API on http://{host}:{port}/api/v1 (database {url}); "
            "Ctrl-C to stop.",
        ),
        # HTTP API
        "auth_failed": ("Identifiants invalides.", "Invalid credentials."),
        "login_throttled": (
            "Trop d'échecs de connexion : réessayez dans {minutes} min.",
            "Too many failed logins: try again in {minutes} min.",
        ),
        "auth_required": (
            "Authentification requise (jeton Bearer ou session).",
            "Authentication required (Bearer token or session).",
        ),
        "forbidden": (
            "Le rôle « {role} » ne permet pas « {permission} ».",
            "Role '{role}' does not allow '{permission}'.",
        ),
        "csrf_failed": (
            "Jeton CSRF absent ou invalide (en-tête X-CSRF-Token).",
            "Missing or invalid CSRF token (X-CSRF-Token header).",
        ),
        "route_not_found": ("Adresse inconnue : {path}", "No such address: {path}"),
        "method_not_allowed": ("Méthode {method} non permise ici.", "Method {method} is not allowed here."),
        "validation_error": ("Requête invalide : {details}", "Invalid request: {details}"),
        "bad_cursor": ("Curseur de pagination invalide.", "Invalid pagination cursor."),
        "unknown_job": ("Tâche inconnue : {job}", "Unknown job: {job}"),
        "job_interrupted": (
            "Tâche interrompue : le processus serveur qui l'exécutait s'est arrêté ; relancez-la.",
            "Job interrupted: the server process running it stopped; start it again.",
        ),
        "api_internal_error": (
            "Erreur interne (un bogue, pas votre requête) ; rien n'a été enregistré. Référence : {ref}",
            "Internal error (a bug, not your request); nothing was saved. Reference: {ref}",
        ),
        "move_refused": (
            "{serial} est « {state} » : {reason}",
            "{serial} is '{state}': {reason}",
        ),
        "http_error": ("Erreur HTTP {status}.", "HTTP error {status}."),
        "upload_too_large": ("Fichier trop gros : {max} Mo au plus.", "File too large: at most {max} MB."),
    }
)
HEADERS.update(
    {
        "role": "rôle", "disabled": "désactivé", "created": "créé", "last used": "dernier usage",
        "revoked": "révoqué", "prefix": "préfixe", "user": "utilisateur", "id": "n°",
        "has": "déjà là", "left": "à pourvoir",
    }
)  # fmt: skip
# (end of the accounts and API messages)

# Impact accounting and the CSR report.
MESSAGES.update(
    {
        "factor_missing": (
            "Le jeu de facteurs {set} n'a pas le facteur « {key} », nécessaire à la méthode.",
            "The factor set {set} has no factor '{key}', which the method needs.",
        ),
        "factor_set_invalid": (
            "{file} : {count} problème(s) dans le jeu de facteurs, le premier en {where}, champ {field} ; "
            "`reemploi factors validate {file}` les liste tous.",
            "{file}: {count} problem(s) in the factor set, the first at {where}, field {field}; "
            "`reemploi factors validate {file}` lists them all.",
        ),
        "factor_not_table": ("ce n'est pas une table [[factor]]", "not a [[factor]] table"),
        "factor_field_missing": ("champ obligatoire absent ou vide", "required field missing or empty"),
        "factor_not_number": ("« {value} » n'est pas un nombre", "'{value}' is not a number"),
        "factor_bad_choice": ("« {value} » n'est pas permis (choix : {choices})",
                              "'{value}' is not allowed (choices: {choices})"),  # fmt: skip
        "factor_bad_year": ("année « {value} » invalide (1990-2100)", "invalid year '{value}' (1990-2100)"),
        "factor_outside_range": (
            "la valeur {value} sort de [{low}, {high}]", "value {value} is outside [{low}, {high}]"
        ),
        "factor_lognormal_positive": ("une loi log-normale exige low > 0 (ici {value})",
                                      "a lognormal needs low > 0 (here {value})"),  # fmt: skip
        "factor_duplicate": ("clé déjà donnée au facteur #{first}", "key already given to factor #{first}"),
        "factor_unit_mismatch": ("unité « {unit} » au lieu de « {expected} » comme les autres de la famille",
                                 "unit '{unit}' instead of '{expected}' like the rest of its family"),  # fmt: skip
        "factor_file_encoding": ("le fichier n'est pas en UTF-8", "the file is not UTF-8"),
        "factor_file_syntax": ("TOML illisible : {error}", "unreadable TOML: {error}"),
        "factor_meta_missing": ("table [meta] absente (name, version)", "no [meta] table (name, version)"),
        "factor_none": ("aucun [[factor]]", "no [[factor]] entries"),
        "factor_required_key": ("facteur obligatoire absent", "required factor missing"),
        "factors_valid": ("{file} : jeu de facteurs valide, {name} {version}, {count} facteurs, sha256 {digest}.",
                          "{file}: valid factor set, {name} {version}, {count} factors, sha256 {digest}."),  # fmt: skip
        "factors_invalid_line": ("{where}, champ {field} : {reason}", "{where}, field {field}: {reason}"),
        "factors_invalid": ("{file} : {count} problème(s) ; rien n'a été utilisé.",
                            "{file}: {count} problem(s); nothing was used."),  # fmt: skip
        "factor_unknown": ("Facteur inconnu : {key}", "Unknown factor: {key}"),
        "impact_draws": ("Nombre de tirages {value} hors de [{low}, {high}].",
                         "Number of draws {value} outside [{low}, {high}]."),  # fmt: skip
        "report_format": ("Format(s) inconnu(s) : {value} (formats : {formats}).",
                          "Unknown format(s): {value} (formats: {formats})."),  # fmt: skip
        "report_out_not_dir": ("{path} existe et n'est pas un dossier.", "{path} exists and is not a folder."),
        "impact_title": ("Impact du réemploi ({devices} équipements redéployés)",
                         "Reuse impact ({devices} devices redeployed)"),  # fmt: skip
        "impact_net": ("Émissions évitées nettes : {value} tCO2e (P5 {p5} – P95 {p95}, médiane {p50}), "
                       "hors scopes 1-3.",
                       "Net avoided emissions: {value} tCO2e (P5 {p5} – P95 {p95}, median {p50}), apart from "
                       "scopes 1-3."),  # fmt: skip
        "impact_rate": ("{kind} : réemploi {count} en nombre, {mass} en masse, {released} remis en état "
                        "(objectif {target} : {verdict})",
                        "{kind}: reuse {count} by count, {mass} by mass, {released} released (target {target}: "
                        "{verdict})"),  # fmt: skip
        "impact_ewaste": ("Déchets électroniques évités (différés) : {value} kg (P5 {p5} – P95 {p95}).",
                          "E-waste avoided (deferred): {value} kg (P5 {p5} – P95 {p95})."),  # fmt: skip
        "impact_life": (
            "Prolongation de vie : {years} années-équipement.", "Lifetime extension: {years} device-years."
        ),
        "impact_drivers": ("Facteurs qui pèsent le plus : {drivers}.", "Main drivers of the spread: {drivers}."),
        "impact_attribution": ("Attribution : {share} à l'organisation source, le reste à la destination.",
                               "Attribution: {share} to the source organisation, "
                               "the rest to the destination."),  # fmt: skip
        "impact_stamp": ("Méthode {method}, facteurs {factors}, données {hash}…, {draws} tirages, graine {seed}.",
                         "Method {method}, factors {factors}, inputs {hash}…, {draws} draws, "
                         "seed {seed}."),  # fmt: skip
        "impact_nothing": ("Aucun équipement installé ou en service : rien n'est encore évité.",
                           "No device installed or in service: nothing is avoided yet."),  # fmt: skip
        "target_met": ("atteint", "met"),
        "target_not_met": ("non atteint", "not met"),
        "report_written": ("Rapport ({format}) : {path}", "Report ({format}): {path}"),
        "demo_report": ("Rapport d'impact : {path}", "Impact report: {path}"),
        "demo_impact": ("Émissions évitées nettes : {value} tCO2e [P5 {p5} – P95 {p95}] ; redéployés : {ap} des AP "
                        "(objectif {ap_target}), {switch} des commutateurs (objectif {switch_target})",
                        "Net avoided emissions: {value} tCO2e [P5 {p5} – P95 {p95}]; redeployed: {ap} of APs "
                        "(target {ap_target}), {switch} of switches (target {switch_target})"),  # fmt: skip
    }
)
HEADERS.update(
    {"unit": "unité", "distribution": "distribution", "low": "bas", "high": "haut", "quality": "qualité",
     "year": "année", "source": "source", "group": "groupe", "factor": "facteur", "range": "intervalle"}
)  # fmt: skip
# (end of the impact messages)
# Impact and reports over HTTP (issue 6, src/reemploi/api/impact.py).
MESSAGES.update(
    {
        "report_busy": ("Un rapport est déjà en cours de rédaction (tâche {job}) : attendez qu'il se termine.",
                        "A report is already being written (job {job}): wait for it to finish."),  # fmt: skip
        "unknown_report": ("Rapport inconnu : {report}", "Unknown report: {report}"),
    }
)

# Test-rig imports: required and ignored columns.
MESSAGES.update(
    {
        "tests_columns_missing": (
            "{file} : colonne(s) obligatoire(s) absente(s) : {columns} (colonnes trouvées : {found}) ; un test sans "
            "elles ne dit rien de l'équipement, rien n'a été enregistré.",
            "{file}: required column(s) missing: {columns} (columns found: {found}); a test run without them says "
            "nothing of the device, nothing was recorded.",
        ),
        "columns_ignored": (
            "Colonnes ignorées (inconnues de l'import des tests) : {columns}",
            "Columns ignored (unknown to the test import): {columns}",
        ),
    }
)

# Impact: warnings under the figures.
MESSAGES.update(
    {
        "target_na": ("sans objet : aucun n'a été démonté", "n/a: none taken down"),
        "impact_defaulted": (
            "Modèles sans facteur propre, comptés avec le défaut de leur type : {models}.",
            "Models without a factor of their own, counted with their kind's default: {models}.",
        ),
        "impact_fallback": (
            "{legs} trajet(s) sans coordonnées comptés à la distance par défaut.",
            "{legs} leg(s) without coordinates counted at the fallback distance.",
        ),
    }
)

# Coordinates come in pairs.
MESSAGES.update(
    {
        "coordinates_half": (
            "{field} manquante : une latitude sans longitude (ou l'inverse) placerait le lieu n'importe où",
            "{field} missing: a latitude without a longitude (or the reverse) would put the place anywhere",
        ),
    }
)

# What drove a site's need (needs list).
MESSAGES.update(
    {
        "driver_coverage": ("couverture : {area} m² à {per}", "coverage: {area} m² at {per}"),
        "driver_per_ap": ("{area} m² par AP", "{area} m² per AP"),
        "driver_mixed_areas": ("surfaces par AP variées", "mixed areas per AP"),
        "driver_capacity": ("capacité : {mbps} Mbit/s à {per} Mbit/s par AP",
                            "capacity: {mbps} Mbps at {per} Mbps per AP"),  # fmt: skip
        "driver_clients": ("clients : {devices} appareils à {per} par AP",
                           "clients: {devices} devices at {per} per AP"),  # fmt: skip
        "driver_override": ("choix du planificateur (calcul : {computed})", "planner override (computed {computed})"),
        "driver_no_zones": ("aucune zone", "no zones"),
    }
)
