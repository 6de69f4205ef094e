from django.core.management.base import BaseCommand
from django.utils import translation

from surveys.aliases import value_catalogue
from surveys.csv_io import TABLE_HEADER, csv_lines, table_rows
from surveys.management.commands._common import get_group
from surveys.reporting import table_text
from surveys.summaries import group_tables


class Command(BaseCommand):
    help = "Print a group's published tables (every option in order, counts by gender)."

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True)
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument("--lang", choices=["en", "ja"], default="en")

    def handle(self, *args, group: str, format: str, lang: str, **options):
        values, _aliases = value_catalogue()
        # Counted in the database (once, then kept); the comments only for the text table.
        table = group_tables(get_group(group), comments=format == "text")
        if format == "csv":
            for line in csv_lines(TABLE_HEADER, table_rows(table, values, lang)):
                self.stdout.write(line, ending="")
            return
        with translation.override(lang):
            self.stdout.write(table_text(table, values, lang))
