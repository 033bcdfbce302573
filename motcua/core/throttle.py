"""Atomic rate-limit counters in the database, shared by every web process.

Why not the cache: the cache is Django's DatabaseCache, whose `incr` is a `get` then a `set`; 200
parallel wrong guesses at the public lookup got 62-132 answers through a limit of 20. Here every
change is one `INSERT ... ON CONFLICT (key) DO UPDATE ... RETURNING` statement (SQLite >= 3.35 and
PostgreSQL both speak it): the database serialises writers on the row, so each caller gets its own
count and no two get the same.

Counters *reserve* before the work is done: `counter_hit` counts the attempt and says whether it may
go ahead; a caller that does not want a successful attempt to count gives it back with
`counter_release`. That is what bounds parallel attackers: a check made before the work and an
increment made after it let every request in flight through.

Two kinds:
- fixed window: at most `limit` attempts per `window_seconds` (lookup, field reports, accounts);
- back-off (`backoff=True`): the first `limit` attempts in the window are free; after that each
  attempt must wait a delay that doubles (1, 2, 4 ... seconds, up to `max_delay_seconds`) after the
  one before; an attempt made too early is refused without counting. Nobody sleeps in a request:
  the refusal says how long to wait.

Call these outside `transaction.atomic` (or accept that a rollback takes the count back with it).
Outside one, on PostgreSQL, `counter_hit` and `counter_release` commit without waiting for the
write-ahead log to reach the disk (`synchronous_commit` off for that one statement): a commit that
waits costs more than the rest of a public lookup. The change is visible to every other process at
once and each caller still gets its own count; a server crash can forget the last fraction of a second
of counts, which for a rate limit means a few attempts not counted.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, Case, F, Q, Value, When

from motcua.core.models import ThrottleCounter

_TABLE = ThrottleCounter._meta.db_table


def now_ms() -> int:
    """The clock every counter reads; tests replace it rather than sleep."""
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Hit:
    allowed: bool
    count: int
    # Whole seconds until an attempt may be allowed again (0 when allowed).
    retry_after: int = 0

    @property
    def retry_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _unsynced_source() -> str | None:
    """A one-row FROM source whose evaluation turns off, for this statement's own transaction only, the
    wait for the WAL flush at commit; None where that does not apply (SQLite, or inside a transaction,
    whose commit belongs to its caller)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    return f"(SELECT set_config('synchronous_commit', 'off', true)) AS {_q('unsynced')}"


def counter_hit(
    key: str, *, limit: int, window_seconds: int, backoff: bool = False, max_delay_seconds: int = 900
) -> Hit:
    """Count one attempt under `key` and say whether it may go ahead (see the module docstring)."""
    now = now_ms()
    limit, window_ms, cap = int(limit), int(window_seconds) * 1000, max(1, int(max_delay_seconds))
    t, count, ends = _q(_TABLE), _q("count"), _q("window_ends")
    delay, blocked = _q("delay"), _q("blocked_until")
    expired = f"{t}.{ends} <= {now}"
    new_count = f"(CASE WHEN {expired} THEN 1 ELSE {t}.{count} + 1 END)"
    if backoff:
        doubled = f"(CASE WHEN {t}.{delay} * 2 > {cap} THEN {cap} ELSE {t}.{delay} * 2 END)"
        new_delay = (
            f"(CASE WHEN {new_count} >= {limit} THEN "
            f"(CASE WHEN {expired} OR {t}.{delay} = 0 THEN 1 ELSE {doubled} END) ELSE 0 END)"
        )
        new_blocked = f"(CASE WHEN {new_delay} > 0 THEN {now} + {new_delay} * 1000 ELSE 0 END)"
        first_delay = 1 if limit <= 1 else 0
        # An attempt made while blocked changes nothing: the WHERE skips the update, RETURNING is empty.
        where = f" WHERE {t}.{blocked} <= {now} OR {expired}"
    else:
        new_delay, new_blocked, first_delay, where = "0", "0", 0, ""
    first = f"%s, 1, {now + window_ms}, {first_delay}, {now + first_delay * 1000 if first_delay else 0}"
    unsynced = _unsynced_source()
    sql = (
        f"INSERT INTO {t} ({_q('key')}, {count}, {ends}, {delay}, {blocked}) "
        f"{f'SELECT {first} FROM {unsynced}' if unsynced else f'VALUES ({first})'} "
        f"ON CONFLICT ({_q('key')}) DO UPDATE SET "
        f"{count} = {new_count}, "
        f"{ends} = (CASE WHEN {expired} THEN {now + window_ms} ELSE {t}.{ends} END), "
        f"{delay} = {new_delay}, {blocked} = {new_blocked}"
        f"{where} RETURNING {count}, {ends}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        blocked_until = ThrottleCounter.objects.filter(key=key).values_list("blocked_until", flat=True).first() or now
        return Hit(allowed=False, count=limit, retry_after=max(1, math.ceil((blocked_until - now) / 1000)))
    new, window_end = int(row[0]), int(row[1])
    if backoff or new <= limit:
        return Hit(allowed=True, count=new)
    return Hit(allowed=False, count=new, retry_after=max(1, math.ceil((window_end - now) / 1000)))


def counter_release(key: str, *, limit: int | None = None) -> None:
    """Give back one attempt counted by `counter_hit` (it succeeded, or was never really made).

    For a back-off counter pass its `limit`: when the count drops back below it, the delay this
    attempt started is lifted too (a success must not slow down the next person).
    """
    if limit is None:
        # The public lookup gives back every success: one statement, no ORM compilation.
        t, count, unsynced = _q(_TABLE), _q("count"), _unsynced_source()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {t} SET {count} = {t}.{count} - 1{f' FROM {unsynced}' if unsynced else ''}"
                f" WHERE {t}.{_q('key')} = %s AND {t}.{count} > 0",
                [key],
            )
        return
    below = Q(count__lte=int(limit))
    changes = {
        "count": F("count") - 1,
        "delay": Case(When(below, then=Value(0)), default=F("delay")),
        "blocked_until": Case(When(below, then=Value(0)), default=F("blocked_until"), output_field=BigIntegerField()),
    }
    ThrottleCounter.objects.filter(key=key, count__gt=0).update(**changes)


def counter_hold(key: str, *, seconds: int) -> None:
    """Keep the counter (and so a fixed-window refusal) for at least `seconds` from now: a lock-out."""
    until = now_ms() + int(seconds) * 1000
    ThrottleCounter.objects.filter(key=key, window_ends__lt=until).update(window_ends=until)


def counter_clear(key: str) -> int:
    """Forget the counter; returns the count it had (0 when there was none or it had expired)."""
    current = counter_peek(key)
    ThrottleCounter.objects.filter(key=key).delete()
    return current


def counter_peek(key: str) -> int:
    """The count in the current window, without counting anything."""
    row = ThrottleCounter.objects.filter(key=key, window_ends__gt=now_ms()).values_list("count", flat=True).first()
    return int(row or 0)


def counters_purge() -> int:
    """Delete counters whose window and delay are both over (safe at any time; run it daily)."""
    now = now_ms()
    deleted, _by_model = ThrottleCounter.objects.filter(window_ends__lte=now, blocked_until__lte=now).delete()
    return deleted
