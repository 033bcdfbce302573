"""Local HTTP servers that speak the providers' wire formats, for tests, demos and benchmarks.

Run one: `python -m motcua.notifications.fakes.sms_gateway --port 8025` (or `...fakes.zalo_oa`).
In tests, start one in a thread on an ephemeral port: `FakeSmsGateway().start()`.
"""
