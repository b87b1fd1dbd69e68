// i18n.js - every string the app shows, one table per language, and dates
// and numbers in the user's locale (Intl). A key missing from a language
// falls back to English; tests/browser checks both tables have the same keys.
export const strings = {
  en: {
    app: 'leadflow', colon: ': ', screens: 'Screens', signin_title: 'Sign in', signin_token: 'API token',
    signin_help: 'Paste the token an admin gave you, or open the sign-in link.',
    signin_go: 'Sign in', signin_bad: 'That token or link is not valid (unknown, revoked, expired or used).',
    signout: 'Sign out', language: 'Français', queue: 'My queue', lead: 'Lead',
    queue_empty: 'No leads assigned to you right now.', due_in: 'due in {t}', overdue: 'overdue by {t}',
    no_clock: 'touched', score: 'Score', source: 'Source', campaign: 'Campaign', company: 'Company',
    stage: 'Stage', name: 'Name', email: 'Email', title: 'Title', country: 'Country',
    industry: 'Industry', employees: 'Employees', attributes: 'Attributes',
    explain: 'Score, rule by rule', fit: 'fit', engagement: 'engagement', total: 'total',
    events_n: '{n} events', events_1: '1 event', model: 'model', timeline: 'Timeline', actions: 'Actions', no_actions: 'No action is open to you from this stage.',
    reason: 'Reason', rating: 'Rating (1–5)', note: 'Note', amount: 'Amount', close_date: 'Expected close',
    confirm: 'Confirm', cancel: 'Cancel', done: 'Done: {what}', failed: 'Refused: {why}',
    questions: 'Qualification questions', save_answers: 'Save answers', answers: 'answers saved', yes: 'yes', no: 'no',
    touch: 'Log a touch', minutes: 'minutes', call: 'Call', email_touch: 'Email', meeting: 'Meeting',
    back: '← My queue', not_found: 'There is no such lead, or it is not yours.',
    loading: 'Loading…', live: 'live', disqualified_by: 'disqualified by rule: {r}',
    hand_raiser: 'hand-raiser',
    'action.accept': 'Accept', 'action.reject': 'Reject', 'action.qualify': 'Qualify',
    'action.send-back': 'Send back to SDR', 'action.open-opportunity': 'Open opportunity', 'action.won': 'Won', 'action.lost': 'Lost',
    'action.disqualify': 'Disqualify', 'action.requalify': 'Requalify', 'action.recycle': 'Recycle',
    'action.assign': 'Assign', 'action.mql': 'Make MQL',
    'ev.event': 'event', 'ev.touch': 'touch', 'ev.move': 'stage',
    board: 'Team board', gate_now: 'The gate now', threshold: 'Threshold', floor: 'Floor',
    free_slots: 'Free slots', waiting: 'Waiting', released_today: 'Released today',
    gate_history: 'The threshold over time, against the floor', history_short: 'The threshold has not changed yet.',
    pool: 'Waiting in the pool', pool_empty: 'No lead is waiting.', assign_to: 'Assign to',
    reps: 'Reps', team: 'Team', active: 'Active leads', opportunities: 'Opportunities', hours_left: 'Hours left',
    availability: 'Availability', away_set: 'Set away', away_back: 'Away — bring back',
    sla_breaches: 'SLA breaches', no_breaches: 'No breach.', breached: 'Breaches', compliance: 'In time',
    reports: 'Reports', no_rows: 'Nothing to show for these filters.', calibration_chart: 'Conversion by score decile',
    f_from: 'Created from', f_to: 'Created before', f_source: 'Source', f_campaign: 'Campaign', f_team: 'Team',
    f_outcome: 'Outcome', f_weeks: 'Weeks', f_reason: 'Reason', because: 'Top reasons', f_reason_stage: 'Decision to',
    behind: 'The leads behind a report’s number:', clear: 'show every lead', forecast_weeks: 'The weeks ahead', forecast_backtest: 'How the forecast did on past weeks',
    forecast_pipeline: 'Open pipeline by expected close',
    models: 'Models', version: 'Version', status: 'Status', created: 'Created',
    approved_marketing: 'Approved for marketing', approved_sales: 'Approved for sales', missing: 'Before it can be activated',
    nothing_missing: 'nothing: it may be activated', m_propose: 'Propose', m_approve: 'Approve', m_activate: 'Activate',
    changes_from_active: 'Changes from the active model', no_changes: 'No change.', model_file: 'The model file',
    admin: 'Administration', tokens: 'API tokens', role: 'Role', rep: 'Rep', create: 'Create', revoked: 'Revoked',
    revoke: 'Revoke', revoke_confirm: 'Revoke the token {name}? Whoever uses it is signed out at once.',
    token_created: 'token created', token_once: 'Copy it now, it is shown this once:', webhooks: 'Webhooks',
    secret: 'Signing secret (16 characters or more)', types: 'Event types', add: 'Add', webhook_added: 'subscription added',
    no_webhooks: 'No subscription.', deliveries: 'Deliveries', no_deliveries: 'No delivery yet.', delete: 'Delete',
    delete_confirm: 'Delete the subscription to {name}? Its pending deliveries fail.', settings: 'Settings (read-only)',
    leads: 'Leads', find: 'Email or external id', any: 'any', min_score: 'Score from', max_score: 'Score up to',
    sort: 'Sort', sort_id: 'oldest id first', sort_score: 'highest score first', sort_created: 'oldest first',
    sort_sla_due: 'soonest SLA first', prev_page: '← Previous', next_page: 'Next →', page_n: 'page {n}',
    aes_delta: 'Account executives added (−: removed)', tier: 'Tier', tier_sdr: 'SDR', tier_ae: 'AE',
    whatif_ae: 'SQLs waiting for an account executive at the end: {b} with {ab} AEs, {s} with {as}.',
    whatif: 'What if', reps_delta: 'SDRs added (−: removed)', hours_delta: 'Weekly hours added a rep', other_model: 'Another model',
    simulate: 'Simulate', whatif_chart: 'Leads released a week, baseline against scenario', released_week: 'released a week',
    baseline: 'baseline', scenario: 'scenario',
    whatif_total: 'Over the weeks replayed: {b} released as it is, {s} in the scenario; expected conversions {eb} against {es}; SLA breaches {br} against {sr}.',
    whatif_from: 'Reps / weekly hours / floor: {b} as it is, {s} in the scenario.',
    try_lead: 'Try a lead under this version', lead_id: 'Lead id', try: 'Try', rule: 'Rule', active_model: 'Active model',
    assign_picked: 'Assign the ticked leads', pick: 'Tick',
    shortcuts: 'Keys: a accept · r reject · q qualify · t log a call · Esc back',
    session_ended: 'Your session has ended; sign in again.',
  },
  fr: {
    app: 'leadflow', colon: ' : ', screens: 'Écrans', signin_title: 'Connexion', signin_token: 'Jeton d’API',
    signin_help: 'Collez le jeton que l’administrateur vous a donné, ou ouvrez le lien de connexion.',
    signin_go: 'Se connecter', signin_bad: 'Ce jeton ou ce lien n’est pas valable (inconnu, révoqué, expiré ou déjà utilisé).',
    signout: 'Se déconnecter', language: 'English', queue: 'Mes leads', lead: 'Lead',
    queue_empty: 'Aucun lead ne vous est attribué pour l’instant.', due_in: 'à traiter dans {t}', overdue: 'en retard de {t}',
    no_clock: 'contacté', score: 'Score', source: 'Source', campaign: 'Campagne', company: 'Entreprise',
    stage: 'Étape', name: 'Nom', email: 'E-mail', title: 'Fonction', country: 'Pays',
    industry: 'Secteur', employees: 'Effectif', attributes: 'Attributs',
    explain: 'Le score, règle par règle', fit: 'profil', engagement: 'engagement', total: 'total',
    events_n: '{n} événements', events_1: '1 événement', model: 'modèle', timeline: 'Historique', actions: 'Actions', no_actions: 'Aucune action ne vous est ouverte à cette étape.',
    reason: 'Motif', rating: 'Note (1 à 5)', note: 'Commentaire', amount: 'Montant', close_date: 'Signature prévue',
    confirm: 'Valider', cancel: 'Annuler', done: 'Fait : {what}', failed: 'Refusé : {why}',
    questions: 'Questions de qualification', save_answers: 'Enregistrer les réponses', answers: 'réponses enregistrées', yes: 'oui', no: 'non',
    touch: 'Noter un contact', minutes: 'minutes', call: 'Appel', email_touch: 'E-mail', meeting: 'Rendez-vous',
    back: '← Mes leads', not_found: 'Ce lead n’existe pas, ou il n’est pas à vous.',
    loading: 'Chargement…', live: 'en direct', disqualified_by: 'disqualifié par la règle : {r}',
    hand_raiser: 'demande de contact',
    'action.accept': 'Accepter', 'action.reject': 'Refuser', 'action.qualify': 'Qualifier',
    'action.send-back': 'Renvoyer au SDR', 'action.open-opportunity': 'Ouvrir une opportunité', 'action.won': 'Gagné', 'action.lost': 'Perdu',
    'action.disqualify': 'Disqualifier', 'action.requalify': 'Requalifier', 'action.recycle': 'Recycler',
    'action.assign': 'Attribuer', 'action.mql': 'Passer en MQL',
    'ev.event': 'événement', 'ev.touch': 'contact', 'ev.move': 'étape',
    board: 'Tableau de l’équipe', gate_now: 'La porte maintenant', threshold: 'Seuil', floor: 'Plancher',
    free_slots: 'Places libres', waiting: 'En attente', released_today: 'Libérés aujourd’hui',
    gate_history: 'Le seuil dans le temps, face au plancher', history_short: 'Le seuil n’a pas encore changé.',
    pool: 'En attente dans le vivier', pool_empty: 'Aucun lead n’attend.', assign_to: 'Attribuer à',
    reps: 'Commerciaux', team: 'Équipe', active: 'Leads actifs', opportunities: 'Opportunités', hours_left: 'Heures restantes',
    availability: 'Disponibilité', away_set: 'Absent', away_back: 'Absent — faire revenir',
    sla_breaches: 'Délais dépassés', no_breaches: 'Aucun dépassement.', breached: 'Dépassements', compliance: 'Dans les temps',
    reports: 'Rapports', no_rows: 'Rien à montrer pour ces filtres.', calibration_chart: 'Conversion par décile de score',
    f_from: 'Créés depuis', f_to: 'Créés avant', f_source: 'Source', f_campaign: 'Campagne', f_team: 'Équipe',
    f_outcome: 'Résultat', f_weeks: 'Semaines', f_reason: 'Motif', because: 'Raisons principales', f_reason_stage: 'Décision vers',
    behind: 'Les leads derrière un chiffre du rapport :', clear: 'voir tous les leads', forecast_weeks: 'Les semaines à venir', forecast_backtest: 'La prévision sur les semaines passées',
    forecast_pipeline: 'Pipeline ouvert par date de signature prévue',
    models: 'Modèles', version: 'Version', status: 'Statut', created: 'Créé',
    approved_marketing: 'Approuvé pour le marketing', approved_sales: 'Approuvé pour les ventes', missing: 'Avant de pouvoir l’activer',
    nothing_missing: 'rien : il peut être activé', m_propose: 'Proposer', m_approve: 'Approuver', m_activate: 'Activer',
    changes_from_active: 'Différences avec le modèle actif', no_changes: 'Aucune différence.', model_file: 'Le fichier du modèle',
    admin: 'Administration', tokens: 'Jetons d’API', role: 'Rôle', rep: 'Commercial', create: 'Créer', revoked: 'Révoqué',
    revoke: 'Révoquer', revoke_confirm: 'Révoquer le jeton {name} ? Qui l’utilise est déconnecté aussitôt.',
    token_created: 'jeton créé', token_once: 'Copiez-le maintenant, il n’est montré qu’une fois :', webhooks: 'Webhooks',
    secret: 'Secret de signature (16 caractères ou plus)', types: 'Types d’événements', add: 'Ajouter', webhook_added: 'abonnement ajouté',
    no_webhooks: 'Aucun abonnement.', deliveries: 'Envois', no_deliveries: 'Aucun envoi pour l’instant.', delete: 'Supprimer',
    delete_confirm: 'Supprimer l’abonnement à {name} ? Ses envois en attente échouent.', settings: 'Réglages (lecture seule)',
    leads: 'Leads', find: 'E-mail ou identifiant externe', any: 'toutes', min_score: 'Score à partir de', max_score: 'Score jusqu’à',
    sort: 'Tri', sort_id: 'par identifiant', sort_score: 'meilleur score d’abord', sort_created: 'les plus anciens d’abord',
    sort_sla_due: 'échéance la plus proche d’abord', prev_page: '← Précédente', next_page: 'Suivante →', page_n: 'page {n}',
    aes_delta: 'Account executives ajoutés (− : retirés)', tier: 'Niveau', tier_sdr: 'SDR', tier_ae: 'AE',
    whatif_ae: 'SQL en attente d\'un account executive à la fin : {b} avec {ab} AE, {s} avec {as}.',
    whatif: 'Et si', reps_delta: 'SDR ajoutés (− : retirés)', hours_delta: 'Heures par semaine ajoutées à chacun', other_model: 'Un autre modèle',
    simulate: 'Simuler', whatif_chart: 'Leads libérés par semaine, situation actuelle face au scénario', released_week: 'libérés par semaine',
    baseline: 'actuel', scenario: 'scénario',
    whatif_total: 'Sur les semaines rejouées : {b} libérés tels quels, {s} dans le scénario ; conversions attendues {eb} contre {es} ; délais dépassés {br} contre {sr}.',
    whatif_from: 'Commerciaux / heures par semaine / plancher : {b} tels quels, {s} dans le scénario.',
    try_lead: 'Essayer un lead avec cette version', lead_id: 'Identifiant du lead', try: 'Essayer', rule: 'Règle', active_model: 'Modèle actif',
    assign_picked: 'Attribuer les leads cochés', pick: 'Cocher',
    shortcuts: 'Touches : a accepter · r refuser · q qualifier · t noter un appel · Échap retour',
    session_ended: 'Votre session est terminée ; reconnectez-vous.',
  },
};

let lang = localStorage.getItem('lf.lang') ||
  (navigator.language || 'en').slice(0, 2).toLowerCase();
if (!strings[lang]) lang = 'en';

export function language() { return lang; }
export function setLanguage(l) { lang = strings[l] ? l : 'en'; localStorage.setItem('lf.lang', lang); document.documentElement.lang = lang; }
document.documentElement.lang = lang;

// t('due_in', {t: '5 min'}): the string in the current language, filled in
export function t(key, vars) {
  let s = strings[lang][key] ?? strings.en[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace('{' + k + '}', v);
  return s;
}

const locale = () => (lang === 'fr' ? 'fr-FR' : navigator.language || 'en-GB');
export const num = (x, digits = 1) =>
  x == null ? '—' : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(x);
export const date = (iso) =>
  iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';
export function span(ms) {
  const m = Math.round(Math.abs(ms) / 60000);
  if (m < 60) return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'minute' }).format(m);
  const h = m / 60;
  if (h < 48) return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'hour', maximumFractionDigits: 1 }).format(h);
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'day', maximumFractionDigits: 0 }).format(h / 24);
}
