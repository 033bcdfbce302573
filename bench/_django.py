"""Set up Django for a benchmark on a database of its own, and take it down again.

Without DATABASE_URL: a throwaway SQLite file in a temporary directory, migrated. With it: a database
`motcua_bench_<name>_<pid>` created (migrated) on that server and dropped at the end.
"""

from __future__ import annotations

import os
import tempfile


def setup_django(name: str) -> tuple[tempfile.TemporaryDirectory, bool]:
    tmp = tempfile.TemporaryDirectory(prefix=f"motcua-bench-{name}-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_VAR_DIR"] = tmp.name
    server = "DATABASE_URL" in os.environ
    if not server:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if server:
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"motcua_bench_{name}_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    return tmp, server


def teardown_django(tmp: tempfile.TemporaryDirectory, server: bool) -> None:
    from django.db import connection

    if server:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    connection.close()
    tmp.cleanup()
