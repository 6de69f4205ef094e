from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from games.models import ValueType
from games.printing import LANG_CHOICES, deck_pdf


class Command(BaseCommand):
    help = "Write the printable deck (A4, 3×3 cards with cut marks) as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--lang", choices=LANG_CHOICES, default="both")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--field", help="Only the values of this field (code).")

    def handle(self, *args, lang: str, out: Path, field: str | None, **options):
        values = ValueType.objects.select_related("field")
        if field:
            values = values.filter(field__code=field)
        values = list(values)
        if not values:
            raise CommandError("The deck is empty: run `python manage.py load_deck` first.")
        out.write_bytes(deck_pdf(values, lang))
        self.stdout.write(f"Wrote {out} ({len(values)} values, language {lang}).")
