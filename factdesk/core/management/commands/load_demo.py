from django.core.management.base import BaseCommand, CommandError

from factdesk.core.demo import DemoRefusedError, load_demo_people


class Command(BaseCommand):
    help = "Load the demo desk (people, and what later issues add). Safe to run again."

    def handle(self, *args, **options):
        try:
            created = load_demo_people()
        except DemoRefusedError as error:
            raise CommandError(str(error)) from None
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created {created} demo accounts."))
        else:
            self.stdout.write("Demo data is already loaded.")
