"""Run the deadline job once.

Schedule it every 15 minutes, e.g. in cron:
    */15 * * * *  cd /srv/motcua && .venv/bin/python manage.py dossier_deadlines
It marks open dossiers due soon (within one working day) or overdue, and drafts the apology
letter for dossiers bound to be late. Safe to run twice, and while officers work.
"""

from django.core.management.base import BaseCommand

from motcua.dossiers.services.deadlines import deadlines_refresh


class Command(BaseCommand):
    help = "Cập nhật tình trạng hạn của hồ sơ (sắp đến hạn, quá hạn) và lập dự thảo phiếu xin lỗi."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Số hồ sơ cập nhật mỗi lượt (mặc định 500).")

    def handle(self, *args, batch_size: int, **options):
        counts = deadlines_refresh(batch_size=max(1, batch_size))
        self.stdout.write(
            "overdue={overdue} due_soon={due_soon} on_time={on_time} apologies_drafted={apologies_drafted}".format(
                **counts
            )
        )
