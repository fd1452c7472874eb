"""From the store to reports: notebook parameters, the batch runner and its warm engine,
charts, what notebooks show, and the offline HTML reports with their index."""
