from django.core.management.base import BaseCommand

from training import services


class Command(BaseCommand):
    help = "Assign the required courses to everyone already in post (idempotent) and close those of ended posts."

    def handle(self, *args, **options):
        counts = services.assignments_sync()
        self.stdout.write(f"assigned {counts['assigned']}, closed {counts['closed']}")
