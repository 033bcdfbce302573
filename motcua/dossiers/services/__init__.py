"""Writes for dossiers, split by concern: intake (`intake_drafts`, `intake_documents`, `intake`
for the online submission, `intake_desk` for the counter, `intake_codes`), the workflow (every
processing action through one transition recipe: `workflow`, its handlers `workflow_steps` and
their shared context `workflow_context`), `deadlines` (due dates, the periodic deadline job,
apology letters), `results` (result files), `calendar_change` and `inbox`."""
