from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.demo import ACCOUNTS, load_demo


class Command(BaseCommand):
    help = "Load the demo accounts and programme (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to load demo data anyway.")
        accounts, offerings = load_demo()
        self.stdout.write(f"Demo data: {len(accounts)} accounts and {offerings} offerings created.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins, all with the password {settings.DEMO_PASSWORD!r} (DEMO_PASSWORD):")
        for username, role, nation, *_ in ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role.label}{' · ' + nation if nation else ''}")
