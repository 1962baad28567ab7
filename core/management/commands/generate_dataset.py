from django.core.management.base import BaseCommand, CommandError

from training.models import Offering


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated database with a realistic history: at --scale 1.0, 100,000 offerings of 2,000 "
        "courses over 20 years, 450,000 people of 150 nations and over a million nominations. Deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        from bench.dataset import generate

        if scale <= 0:
            raise CommandError("--scale must be above 0.")
        if Offering.objects.exists():
            raise CommandError("This database already has offerings; generate into an empty, migrated database.")
        self.stdout.write(f"Generating the data set at scale {scale} (seed {seed})…")
        totals = generate(scale=scale, seed=seed, say=self.stdout.write)
        self.stdout.write(
            "Done in {seconds} s: {offerings} offerings, {people} people, {nominations} nominations, "
            "{attendance} attendance records, {certificates} certificates, {evaluations} evaluations.".format(**totals)
        )
