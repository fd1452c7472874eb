"""The Voila apps: the accompaniers' workspace, the researchers' cohort explorer, the
enterprise card, CSV/SVG downloads, and `vises serve`'s Voila launcher and template."""
