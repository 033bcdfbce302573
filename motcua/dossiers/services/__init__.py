"""Writes for dossiers. Split by concern: intake (drafts, uploads, submission, codes),
workflow (every processing action through one transition recipe), deadlines (due dates,
the periodic deadline job, apology letters)."""
