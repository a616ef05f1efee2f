from django.apps import apps
from django.core.management.base import BaseCommand

from commitments.services.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create the Analyst and Editor groups and give each exactly its permissions."

    def handle(self, *args, **options):
        sync_roles(apps)
        self.stdout.write(self.style.SUCCESS(f"Roles in place: {', '.join(ROLES)}."))
