from pathlib import Path

from django.core.management.base import BaseCommand

from games.deck import DECK_FIXTURE, load_deck, read_fixture


class Command(BaseCommand):
    help = "Load the Value Karuta deck (fields and 24 values, JP/EN) from fixtures/deck.json."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DECK_FIXTURE)
        parser.add_argument(
            "--reset", action="store_true", help="Overwrite texts edited in the admin too."
        )

    def handle(self, *args, file: Path, reset: bool, **options):
        report = load_deck(read_fixture(file), reset=reset)
        __import__("surveys.aliases").aliases.load_aliases(read_fixture(file))  # value aliases
        self.stdout.write(
            f"Deck loaded: {report.created} created, {report.updated} updated, "
            f"{len(report.kept_edits)} admin edits kept."
        )
        for name in report.kept_edits:
            self.stdout.write(f"  kept edit: {name}")
