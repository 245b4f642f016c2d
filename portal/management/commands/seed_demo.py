"""Fill the portal with the demo city; safe to run again."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import demo, extensions


class Command(BaseCommand):
    help = "Create the demo city, users for every role, and each app's demo data."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even under production settings (demo passwords are public!).",
        )

    def handle(self, *args, **options) -> None:
        # Under override_settings (tests) SETTINGS_MODULE reads None; the
        # environment still names the module the process started with.
        module = settings.SETTINGS_MODULE or os.environ.get(
            "DJANGO_SETTINGS_MODULE", ""
        )
        if module.endswith("production") and not options["allow_production"]:
            raise CommandError(
                "Refusing to seed demo users with public passwords under production "
                "settings. Pass --allow-production if this really is a demo site."
            )
        agencies = demo.seed_agencies_and_users()
        self.stdout.write(
            f"agencies: {len(agencies)}, demo users: {len(demo.DEMO_USERS)}"
        )
        for seeder in extensions.demo_seeders():
            seeder(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
