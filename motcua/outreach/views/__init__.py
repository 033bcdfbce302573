"""Pages for the community digital teams: `visits` (recorder, home, teams), `households`."""
