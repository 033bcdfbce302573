"""Every write of the payments app. See apply.py for how money received is counted."""
