"""Analytics: the rollups that the dashboards read, at-risk rules and the feature store.

`rollups.refresh()` turns raw activity into `learner_days`, `daily_metrics`,
`hourly_metrics` and the breakdown tables; `risk` flags learners by documented
rules; `features` snapshots per-learner features as of a date.
"""
