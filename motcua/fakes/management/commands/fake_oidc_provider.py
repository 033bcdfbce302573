"""Serve the local stand-in for the national sign-on (for demos; tests start it in a thread)."""

from django.core.management.base import BaseCommand

from motcua.core.models import Person
from motcua.fakes.oidc_provider import FakeOIDCProvider, Identity


class Command(BaseCommand):
    help = "Serve a local OpenID Connect provider imitating the national public-service portal's sign-on."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8790)
        parser.add_argument("--client-id", default="motcua-demo")
        parser.add_argument("--client-secret", default="motcua-demo-secret")
        parser.add_argument(
            "--redirect-uri",
            action="append",
            default=None,
            help="allowed redirect URI (repeatable; a trailing * allows a prefix)",
        )
        parser.add_argument("--demo-people", type=int, default=5, help="demo citizens offered on the consent page")

    def handle(self, *args, **options):
        people = Person.objects.filter(is_demo=True, personal_id__isnull=False, date_of_birth__isnull=False)
        identities = [
            Identity(p.personal_id, p.full_name, p.date_of_birth.strftime("%d/%m/%Y"))
            for p in people.order_by("id")[: options["demo_people"]]
        ]
        provider = FakeOIDCProvider(
            host=options["host"],
            port=options["port"],
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            redirect_uris=options["redirect_uri"] or ["*"],
            identities=identities,
        )
        self.stdout.write(f"Local national sign-on (imitation) at {provider.issuer}")
        try:
            provider.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            provider.httpd.server_close()
