"""vises: evaluate and make visible the social impact of social-economy enterprises (VISES).

The helper package behind the step notebooks, the cohort notebook and the dashboards.
"""

__version__ = "0.1.0"
