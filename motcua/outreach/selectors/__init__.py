"""Reads for the community digital teams, with the access check in the same functions:
`area` (what a user may see), `households`, `teams` (teams, campaigns, indicators, visits)."""
