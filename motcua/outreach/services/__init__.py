"""Outreach writes: visits (`visits`), teams and members (`teams`), households (`households`,
`household_import`). Progress rollups are in `motcua.outreach.progress.services`."""
