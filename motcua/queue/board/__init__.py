"""The display board of an office's queue: a full-screen public page fed by Server-Sent Events.

selectors.py  what a board may show (codes and counters only, never a name or phone number)
feed.py       one polling thread per web process turns new TicketCall rows into events for all boards
views.py      the page, its state as JSON, and the event stream
"""
