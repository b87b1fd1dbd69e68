-- The reports' aggregates (and the facts of moves) as text, cohorts by their keys (not their ids),
-- rows that fell to 0 left out: what test_aggregates.sh compares before
-- and after `leadflow report rebuild`.
SELECT 'paths', c.week, c.source, c.campaign, c.team, a.stages, a.override, a.n
  FROM agg_paths a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'signal', c.week, c.source, c.campaign, c.team, a.signal, a.band, a.stages || ':' || a.n
  FROM agg_signal a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'effort', c.week, c.source, c.campaign, c.team, a.wait_b || ':' || a.minutes_b, a.stages,
  a.n || ':' || a.touches || ':' || printf('%.6f', a.minutes)
  FROM agg_effort a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'decision', c.week, c.source, c.campaign, c.team, a.kind, a.reason,
  a.n || ':' || a.rated || ':' || a.rating_sum
  FROM agg_decision a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'rule', c.week, c.source, c.campaign, c.team, a.version || ':' || a.rule, a.kind || ':' || a.reason,
  a.n || ':' || a.rated || ':' || a.rating_sum
  FROM agg_rule a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'work', a.rep_id, a.kind, printf('%.6f', a.value), '', '', '', a.n
  FROM agg_work a WHERE a.n <> 0
UNION ALL SELECT 'qualified', c.week, c.source, c.campaign, c.team, a.day, '', a.n
  FROM agg_qualified a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'close', c.week, c.source, c.campaign, c.team, a.stage || ':' || a.won, a.tenths, a.n
  FROM agg_close a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'open', c.week, c.source, c.campaign, c.team, a.stage, a.day,
  a.n || ':' || a.valued || ':' || printf('%.6f', a.value)
  FROM agg_open a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'close_all', a.stage, a.won, a.tenths, '', '', '', a.n
  FROM agg_close_all a WHERE a.n <> 0
UNION ALL SELECT 'held', a.rep_id, a.opportunity, printf('%.6f', a.logged), '', '', '', a.n
  FROM held_load a WHERE a.n <> 0
UNION ALL SELECT 'handoff', a.id, a.lead_id || ':' || a.at, a.tier || ':' || a.sdr,
  coalesce(a.decision, '') || ':' || coalesce(a.reason, ''), coalesce(a.rating, '') || ':' || coalesce(a.decided_at, ''), '', a.won
  FROM handoff_facts a
UNION ALL SELECT 'recycle', a.id, a.lead_id || ':' || a.at, a.by_rule || ':' || a.note, a.reason,
  a.back || ':' || a.on_sql, '', a.on_won
  FROM recycle_facts a
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
