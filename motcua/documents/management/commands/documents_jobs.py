from django.core.management.base import BaseCommand

from motcua.documents.services import documents_jobs


class Command(BaseCommand):
    help = "Incoming documents: remind leaders of unpresented ones, escalate overdue handling once."

    def handle(self, *args, **options):
        result = documents_jobs()
        self.stdout.write(f"presented={result['presented']} escalated={result['escalated']}")
