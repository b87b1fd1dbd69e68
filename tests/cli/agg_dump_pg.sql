-- agg_dump.sql in PostgreSQL's SQL: the reports' aggregates as text,
-- cohorts by their keys, rows that fell to 0 left out.
SELECT 'paths', c.week::text, c.source, c.campaign, c.team, a.stages::text, a.override::text, a.n::text
  FROM agg_paths a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'signal', c.week::text, c.source, c.campaign, c.team, a.signal::text, a.band::text, a.stages || ':' || a.n
  FROM agg_signal a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'effort', c.week::text, c.source, c.campaign, c.team, a.wait_b || ':' || a.minutes_b, a.stages::text,
  a.n || ':' || a.touches || ':' || round(a.minutes::numeric, 6)
  FROM agg_effort a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'decision', c.week::text, c.source, c.campaign, c.team, a.kind, a.reason,
  a.n || ':' || a.rated || ':' || a.rating_sum
  FROM agg_decision a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'rule', c.week::text, c.source, c.campaign, c.team, a.version || ':' || a.rule, a.kind || ':' || a.reason,
  a.n || ':' || a.rated || ':' || a.rating_sum
  FROM agg_rule a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'work', a.rep_id::text, a.kind::text, round(a.value::numeric, 6)::text, '', '', '', a.n::text
  FROM agg_work a WHERE a.n <> 0
UNION ALL SELECT 'qualified', c.week::text, c.source, c.campaign, c.team, a.day::text, '', a.n::text
  FROM agg_qualified a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'close', c.week::text, c.source, c.campaign, c.team, a.stage || ':' || a.won, a.tenths::text, a.n::text
  FROM agg_close a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'open', c.week::text, c.source, c.campaign, c.team, a.stage::text, a.day::text,
  a.n || ':' || a.valued || ':' || round(a.value::numeric, 6)
  FROM agg_open a JOIN cohorts c ON c.id = a.cohort WHERE a.n <> 0
UNION ALL SELECT 'close_all', a.stage::text, a.won::text, a.tenths::text, '', '', '', a.n::text
  FROM agg_close_all a WHERE a.n <> 0
UNION ALL SELECT 'held', a.rep_id::text, a.opportunity::text, round(a.logged::numeric, 6)::text, '', '', '', a.n::text
  FROM held_load a WHERE a.n <> 0
UNION ALL SELECT 'handoff', a.id::text, a.lead_id || ':' || a.at, a.tier || ':' || a.sdr,
  coalesce(a.decision, '') || ':' || coalesce(a.reason, ''), coalesce(a.rating::text, '') || ':' || coalesce(a.decided_at::text, ''), '', a.won::text
  FROM handoff_facts a
UNION ALL SELECT 'recycle', a.id::text, a.lead_id || ':' || a.at, a.by_rule || ':' || a.note, a.reason,
  a.back || ':' || a.on_sql, '', a.on_won::text
  FROM recycle_facts a
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
