"""The accompanier's workspace dashboard: forms for steps 1 and 2, step 3 results.

`form` is a small form framework (fields, messages beside them, explicit save, dirty
tracking, stale-save refusal); `records` lists an enterprise's records of one kind;
`step1`, `step2`, `step3` build the sections; `app` assembles the dashboard.
"""
