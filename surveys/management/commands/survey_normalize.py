from django.core.management.base import BaseCommand

from surveys.value_items import items_refresh


class Command(BaseCommand):
    help = (
        "Normalize every stored value answer (F, A2) again into the value items the tables "
        "count: after loading a deck that renamed values. A thousand responses per "
        "transaction. (Saving an answer or an alias keeps them up to date by itself.)"
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Normalized the value answers of {items_refresh()} responses")
