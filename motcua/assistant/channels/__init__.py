"""The assistant's outside channels: the Zalo Official Account webhook and SMS keywords.

- `zalo`: Zalo's wire format: the X-ZEvent-Signature check and the events we read;
- `sms`: the inbound-SMS (MO) wire format, the keywords ("HS <mã hồ sơ>", "TT <từ khóa>") and
  one-part unaccented replies;
- `selectors`: the reads a channel may make for its sender (a dossier's status for the applicant's
  own verified phone, a procedure's summary);
- `services`: receive one event or text (verify, refuse replays, throttle per sender, answer) and
  queue the reply through the notifications outbox; the worker sends it, so the webhook answers at once;
- `views`, `urls`: the two csrf-exempt POST endpoints under /tro-ly/.

See docs/assistant-channels.md for what was checked against Zalo's documentation.
"""
