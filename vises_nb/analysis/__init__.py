"""Pure functions from the store's DataFrames to result tables: statistics, step views,
cohort views, the impact chain's rules and privacy masking. Never imports publishing."""
