"""Reads of field reports: `reports` (who may see which report, lists, categories), `map` (the public
map from the rollup), `stats` (public statistics)."""
