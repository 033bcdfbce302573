"""Outreach progress dashboards: rollup tables kept incrementally (`services`), figures and access
(`selectors`, `figures`), pages and Excel exports (`views`, `urls`, `excel`), targets' admin."""
