"""What the web pages say, in French and English (registered into ``reemploi.i18n``).

Kept beside the pages so that the interface's wording lives in one file; codes start
with ``web_`` and never clash with the domain's.
"""

from __future__ import annotations

from reemploi.i18n import MESSAGES

WEB_MESSAGES: dict[str, tuple[str, str]] = {
    "web_title": ("reemploi — seconde vie des équipements réseau", "reemploi — second life of network equipment"),
    "web_skip": ("Aller au contenu", "Skip to content"),
    "web_nav_dashboard": ("Tableau de bord", "Dashboard"),
    "web_nav_devices": ("Équipements", "Devices"),
    "web_nav_scan": ("Banc (scan)", "Bench (scan)"),
    "web_nav_lots": ("Lots", "Lots"),
    "web_nav_sites": ("Sites", "Sites"),
    "web_nav_plans": ("Plans", "Plans"),
    "web_nav_report": ("Rapport RSE", "CSR report"),
    "web_lang_switch": ("Langue", "Language"),
    "web_logout": ("Se déconnecter", "Log out"),
    "web_logged_as": ("{name} ({role})", "{name} ({role})"),
    "web_role_admin": ("administrateur", "administrator"),
    "web_role_planner": ("planificateur", "planner"),
    "web_role_technician": ("technicien", "technician"),
    "web_role_csr": ("RSE", "CSR officer"),
    "web_role_auditor": ("auditeur (lecture seule)", "auditor (read-only)"),
    # login
    "web_login_title": ("Connexion", "Log in"),
    "web_login_name": ("Nom d'utilisateur", "User name"),
    "web_login_password": ("Mot de passe", "Password"),
    "web_login_submit": ("Se connecter", "Log in"),
    "web_login_failed": ("Nom ou mot de passe incorrect, ou compte désactivé.",
                         "Wrong name or password, or the account is disabled."),  # fmt: skip
    "web_login_hint": ("Pas de compte ? Un administrateur le crée avec « reemploi users create NOM --role RÔLE ».",
                       "No account? An administrator creates it with 'reemploi users create NAME --role ROLE'."),
    "web_logged_out": ("Vous êtes déconnecté.", "You are logged out."),
    # errors
    "web_forbidden_title": ("Accès refusé", "Access denied"),
    "web_forbidden": ("Votre rôle ({role}) ne permet pas cette action ({permission}).",
                      "Your role ({role}) does not allow this ({permission})."),  # fmt: skip
    "web_csrf": ("Le formulaire a expiré ou ne vient pas de cette page (jeton CSRF) : rechargez la page et "
                 "recommencez.", "The form expired or did not come from this page (CSRF token): reload the page "
                 "and try again."),  # fmt: skip
    "web_error_title": ("Impossible", "Not possible"),
    "web_back": ("Retour", "Back"),
    # dashboard
    "web_dash_title": ("Tableau de bord", "Dashboard"),
    "web_dash_reuse": ("Taux de réemploi", "Reuse rate"),
    "web_dash_reuse_of": ("{kind} : {rate} (objectif {target})", "{kind}: {rate} (target {target})"),
    "web_dash_redeployed": ("{n} réinstallés sur {of} déposés", "{n} redeployed of {of} taken down"),
    "web_dash_avoided": ("Émissions évitées nettes", "Net avoided emissions"),
    "web_dash_range": ("intervalle P5–P95 : {p5} – {p95} tCO2e", "P5–P95 range: {p5} – {p95} tCO2e"),
    "web_dash_ewaste": ("Déchets électroniques évités : {value} kg", "E-waste avoided: {value} kg"),
    "web_dash_states": ("Équipements par état", "Devices by state"),
    "web_dash_total": ("Total", "Total"),
    "web_dash_progress": ("Avancement dans le temps (cumul par jour)", "Progress over time (cumulative, per day)"),
    "web_dash_no_progress": ("Pas encore d'événement.", "No event yet."),
    "web_dash_no_devices": ("Aucun équipement pour l'instant : importez un export terrain.",
                            "No device yet: import a field export."),  # fmt: skip
    "web_met": ("atteint", "met"),
    "web_not_met": ("non atteint", "not met"),
    "web_kind_ap": ("Bornes Wi-Fi", "Access points"),
    "web_kind_switch": ("Commutateurs", "Switches"),
    "web_kind_indoor_ap": ("borne intérieure", "indoor AP"),
    "web_kind_outdoor_ap": ("borne extérieure", "outdoor AP"),
    "web_kind_switch_one": ("commutateur", "switch"),
    # states
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
    "web_dash_as_of": ("Chiffres du {at} UTC, recalculés en arrière-plan quand la base change (les émissions évitées "
                       "au plus une fois par minute) : rechargez la page pour les voir.",
                       "Figures as of {at} UTC, recomputed in the background when the data changes (avoided emissions "
                       "at most once a minute): reload the page to see them."),  # fmt: skip
    "web_dash_target": ("Objectif : {target}", "Target: {target}"),
    "web_dash_no_group": ("Aucun équipement de ce type déposé pour l'instant.", "None of this kind taken down yet."),
    "web_decision_reuse": ("réemploi", "reuse"),
    "web_decision_repair": ("réparation", "repair"),
    "web_decision_harvest": ("pour pièces", "harvest"),
    "web_decision_recycle": ("recyclage", "recycle"),
    # devices
    "web_devices_title": ("Équipements", "Devices"),
    "web_search": ("Rechercher (série, MAC, étiquette)", "Search (serial, MAC, asset tag)"),
    "web_filter_state": ("État", "State"),
    "web_filter_kind": ("Type", "Kind"),
    "web_filter_location": ("Lieu", "Location"),
    "web_filter_lot": ("Lot", "Lot"),
    "web_filter_model": ("Modèle", "Model"),
    "web_any": ("tous", "any"),
    "web_apply": ("Filtrer", "Filter"),
    "web_reset": ("Effacer", "Clear"),
    "web_next_page": ("Page suivante →", "Next page →"),
    "web_first_page": ("← Première page", "← First page"),
    "web_none": ("Aucun résultat.", "Nothing found."),
    "web_col_serial": ("N° de série", "Serial"),
    "web_col_model": ("Modèle", "Model"),
    "web_col_kind": ("Type", "Kind"),
    "web_col_state": ("État", "State"),
    "web_col_grade": ("Grade", "Grade"),
    "web_col_location": ("Lieu", "Location"),
    "web_col_lot": ("Lot", "Lot"),
    "web_col_updated": ("Mis à jour", "Updated"),
    "web_col_mac": ("MAC", "MAC"),
    "web_col_asset": ("Étiquette", "Asset tag"),
    # device
    "web_device_title": ("Équipement {serial}", "Device {serial}"),
    "web_timeline": ("Historique", "Timeline"),
    "web_tl_when": ("Quand (UTC)", "When (UTC)"),
    "web_tl_what": ("Quoi", "What"),
    "web_tl_who": ("Qui", "Who"),
    "web_tl_detail": ("Détail", "Detail"),
    "web_tl_audit": ("audit", "audit"),
    "web_tl_test": ("test", "test"),
    "web_tl_repair": ("réparation", "repair"),
    "web_tl_sanitization": ("effacement", "sanitization"),
    "web_tl_upgrade": ("micrologiciel", "firmware"),
    "web_tl_disposal": ("élimination DEEE", "WEEE disposal"),
    "web_flags": ("Contrôles", "Checks"),
    "web_chain_hash": ("empreinte", "hash"),
    "web_unknown_device": ("Équipement inconnu : {serial}", "Unknown device: {serial}"),
    # scan
    "web_scan_title": ("Banc de reconditionnement", "Refurbishment bench"),
    "web_scan_input": ("Scannez un équipement ou tapez une touche puis Entrée",
                       "Scan a device or type a key, then Enter"),  # fmt: skip
    "web_scan_mode": ("Mode", "Mode"),
    "web_scan_mode_bench": ("Banc : tests, effacement, prêt (touches)", "Bench: tests, wipe, ready (keys)"),
    "web_scan_mode_move": ("Déplacer chaque scan vers…", "Move each scan to…"),
    "web_scan_to": ("État cible", "Target state"),
    "web_scan_at": ("Lieu (code, facultatif)", "Location (code, optional)"),
    "web_scan_reason": ("Motif (facultatif)", "Reason (optional)"),
    "web_scan_firmware": ("Micrologiciel lu (facultatif)", "Firmware read (optional)"),
    "web_scan_next": ("Étape suivante", "Next step"),
    "web_scan_keys_help": ("Touchez un bouton ou tapez sa lettre puis Entrée.",
                           "Tap a button or type its letter then Enter."),  # fmt: skip
    "web_scan_faults": ("Quelle panne ?", "Which fault?"),
    "web_scan_log": ("Journal de la session", "Session log"),
    "web_scan_send": ("Valider", "Enter"),
    "web_scan_waiting": ("En attente d'un scan…", "Waiting for a scan…"),
    "web_scan_last_test": ("Dernier test : {at}, grade {grade}, {decision} — {reason}",
                           "Last test: {at}, grade {grade}, {decision} — {reason}"),  # fmt: skip
    "web_scan_no_test": ("Aucun test", "No test yet"),
    "web_scan_firmware_low": ("Micrologiciel {found} sous le minimum {minimum}",
                              "Firmware {found} below the minimum {minimum}"),  # fmt: skip
    "web_scan_moved": ("{serial} → {state}", "{serial} → {state}"),
    "web_scan_refused": ("{serial} : refusé ({state}) — {reason}", "{serial}: refused ({state}) — {reason}"),
    "web_scan_unknown": ("« {serial} » : aucun équipement, scan conservé", "'{serial}': no such device, scan kept"),
    "web_scan_no_js": ("Cette page a besoin de JavaScript.", "This page needs JavaScript."),
    # lots
    "web_lots_title": ("Lots et rapprochement", "Lots and reconciliation"),
    "web_col_code": ("Code", "Code"),
    "web_col_origin": ("Origine", "Origin"),
    "web_col_seal": ("Scellé", "Seal"),
    "web_col_carrier": ("Transporteur", "Carrier"),
    "web_col_devices": ("Équipements", "Devices"),
    "web_col_created": ("Créé le", "Created"),
    "web_reconcile": ("Rapprocher un lot des séries scannées", "Reconcile a lot with the scanned serials"),
    "web_reconcile_lot": ("Lot", "Lot"),
    "web_reconcile_scanned": ("Séries scannées (une par ligne)", "Scanned serials (one per line)"),
    "web_reconcile_receive": ("Réceptionner les équipements trouvés à (code du lieu, facultatif)",
                              "Receive the matched devices at (location code, optional)"),  # fmt: skip
    "web_reconcile_lost": ("Déclarer perdus les manquants", "Mark the missing ones lost"),
    "web_reconcile_submit": ("Rapprocher", "Reconcile"),
    "web_reconcile_result": ("Lot {lot} : {matched} trouvés sur {expected} attendus, {missing} manquants, "
                             "{unexpected} en trop, {unknown} inconnus",
                             "Lot {lot}: {matched} matched of {expected} expected, {missing} missing, "
                             "{unexpected} unexpected, {unknown} unknown"),  # fmt: skip
    "web_reconcile_moved": ("{received} réceptionnés, {lost} déclarés perdus.",
                            "{received} received, {lost} marked lost."),  # fmt: skip
    "web_missing": ("Manquants", "Missing"),
    "web_unexpected": ("En trop", "Unexpected"),
    "web_unknown_scans": ("Scans inconnus (conservés)", "Unknown scans (kept)"),
    "web_lot_pallet": ("palette", "pallet"),
    "web_lot_box": ("carton", "box"),
    "web_no_lots": ("Aucun lot.", "No lot."),
    # sites
    "web_sites_title": ("Sites de destination et besoins", "Destination sites and needs"),
    "web_map_caption": ("Besoins en bornes par site (surface du disque proportionnelle au besoin ; fond de carte "
                        "hors ligne GSHHS)", "AP needs per site (disc area proportional to the need; offline "
                        "GSHHS background)"),  # fmt: skip
    "web_col_site": ("Site", "Site"),
    "web_col_city": ("Ville", "City"),
    "web_col_priority": ("Priorité", "Priority"),
    "web_col_zones": ("Zones", "Zones"),
    "web_col_class": ("Classe", "Class"),
    "web_col_need": ("Besoin", "Need"),
    "web_col_driver": ("Ce qui le fixe", "Driven by"),
    "web_class_indoor": ("intérieur", "indoor"),
    "web_class_outdoor": ("extérieur", "outdoor"),
    "web_no_sites": ("Aucun site : importez-les avec « reemploi sites import ».",
                     "No site: import them with 'reemploi sites import'."),  # fmt: skip
    "web_need_total": ("{n} bornes nécessaires sur {sites} sites", "{n} APs needed at {sites} sites"),
    # plans
    "web_plans_title": ("Plans d'affectation", "Allocation plans"),
    "web_plan_title": ("Plan {id} — {name}", "Plan {id} — {name}"),
    "web_col_plan": ("Plan", "Plan"),
    "web_col_name": ("Nom", "Name"),
    "web_col_status": ("Statut", "Status"),
    "web_col_assigned": ("Affectés", "Assigned"),
    "web_col_unmet": ("Non couverts", "Unmet"),
    "web_col_optimal": ("Optimal", "Optimal"),
    "web_status_draft": ("brouillon", "draft"),
    "web_status_approved": ("approuvé", "approved"),
    "web_status_cancelled": ("annulé", "cancelled"),
    "web_status_done": ("terminé", "done"),
    "web_status_executed": ("exécuté", "executed"),
    "web_yes": ("oui", "yes"),
    "web_no": ("non", "no"),
    "web_plan_new": ("Calculer un nouveau plan", "Compute a new plan"),
    "web_plan_approve": ("Approuver (réserve les équipements)", "Approve (reserves the devices)"),
    "web_plan_cancel": ("Annuler le plan", "Cancel the plan"),
    "web_plan_approved": ("Plan {plan} approuvé : {reserved} équipements réservés.",
                          "Plan {plan} approved: {reserved} devices reserved."),  # fmt: skip
    "web_plan_cancelled": ("Plan {plan} annulé : {released} équipements remis en stock.",
                           "Plan {plan} cancelled: {released} devices back in stock."),  # fmt: skip
    "web_plan_compare": ("Optimal (HiGHS) contre glouton", "Optimal (HiGHS) against greedy"),
    "web_plan_optimal": ("Optimal", "Optimal"),
    "web_plan_greedy": ("Glouton", "Greedy"),
    "web_plan_needed": ("Besoin", "Needed"),
    "web_plan_transport": ("Transport (kgCO2e)", "Transport (kgCO2e)"),
    "web_plan_saving": ("Économie du plan optimal : {value} kgCO2e de transport, {more} bornes de plus.",
                        "The optimal plan saves {value} kgCO2e of transport and places {more} more APs."),
    "web_plan_per_site": ("Affectation par site", "Allocation per site"),
    "web_plan_purchase": ("À acheter", "To buy"),
    "web_plan_unused": ("Stock restant", "Stock left"),
    "web_plan_unused_n": ("stock restant : {n}", "stock left: {n}"),
    "web_plan_buy_line": ("{count} bornes, {cls}", "{count} APs, {cls}"),
    "web_plan_buy_gen": ("Wi-Fi {gen} au moins", "Wi-Fi {gen} or later"),
    "web_no_plans": ("Aucun plan.", "No plan."),
    "web_plan_solver": ("Solveur : {solver}, écart {gap}", "Solver: {solver}, gap {gap}"),
    # jobs
    "web_job_queued": ("Tâche en attente…", "Job queued…"),
    "web_job_running": ("Tâche en cours ({step})…", "Job running ({step})…"),
    "web_job_done": ("Tâche terminée.", "Job done."),
    "web_job_failed": ("Tâche en échec : {error}", "Job failed: {error}"),
    # report
    "web_report_title": ("Rapport RSE", "CSR report"),
    "web_report_intro": ("Le rapport d'impact (méthode, facteurs, incertitude, indicateurs) en HTML, PDF et XLSX, "
                         "calculé sur l'état actuel de la base.", "The impact report (method, factors, uncertainty, "
                         "indicators) as HTML, PDF and XLSX, computed on the database as it is now."),  # fmt: skip
    "web_report_lang": ("Langue du rapport", "Report language"),
    "web_report_formats": ("Formats", "Formats"),
    "web_report_generate": ("Générer le rapport", "Generate the report"),
    "web_report_list": ("Rapports générés", "Reports generated"),
    "web_report_none": ("Aucun rapport depuis le démarrage du serveur.", "No report since the server started."),
    "web_report_download": ("Télécharger", "Download"),
    "web_col_by": ("Par", "By"),
    "web_col_lang": ("Langue", "Language"),
    "web_col_files": ("Fichiers", "Files"),
    "web_lang_fr": ("français", "French"),
    "web_lang_en": ("anglais", "English"),
}

MESSAGES.update(WEB_MESSAGES)
