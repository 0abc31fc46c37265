from django.core.management.base import BaseCommand, CommandError

from factdesk.demo.desk import DemoRefusedError, load_demo


class Command(BaseCommand):
    help = "Load the demo desk: people, articles and claims in every status. Safe to run again."

    def handle(self, *args, **options):
        try:
            accounts, desk = load_demo()
        except DemoRefusedError as error:
            raise CommandError(str(error)) from None
        if accounts:
            self.stdout.write(self.style.SUCCESS(f"Created {accounts} demo accounts."))
        if desk:
            self.stdout.write(
                self.style.SUCCESS(
                    "Created the demo desk: articles, claims, verdicts, reviews and a correction."
                )
            )
        if not accounts and not desk:
            self.stdout.write("Demo data is already loaded.")
