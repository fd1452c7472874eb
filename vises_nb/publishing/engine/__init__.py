"""The batch engine behind `vises run`: warm processes, fork isolation, incremental runs.

- `imports`: what a warm process imports once (and the 2.9 s it need not import).
- `cells`: runs a notebook's cells in-process with IPython, recording nbformat outputs.
- `zygote`: a warm process that forks one child per notebook (isolation, timeout, death).
- `local` / `dask`: run jobs on this machine's cores or on a Dask distributed cluster.
- `incremental`: the manifest of what was published from which inputs.
- `progress`: done / failed / skipped and time left on a terminal; quiet in CI.
"""
