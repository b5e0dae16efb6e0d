from django.core.management import BaseCommand
from django.db import transaction

from core.demo import ensure_demo_accounts


class Command(BaseCommand):
    help = "Create the demo data: deterministic for a given --seed."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")
        parser.add_argument("--seed", type=int, default=1)

    @transaction.atomic
    def handle(self, *args, scale, seed, **options):
        ensure_demo_accounts()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({scale}, seed {seed})."))
