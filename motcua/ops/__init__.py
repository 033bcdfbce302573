"""Operations: the process supervisor behind `make run` and the scheduler of periodic jobs.

It sits above every domain app: it names their commands (by name, never by import) and starts
their processes. See `processes.py` for what runs, `schedule.py` for when.
"""
