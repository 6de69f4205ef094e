from pathlib import Path

from django.core.management.base import BaseCommand

from surveys.exports import export_lines
from surveys.management.commands._common import get_group
from surveys.models import Response


class Command(BaseCommand):
    help = "Export responses as CSV (UTF-8 with BOM): wide (one row per respondent) or long."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--group", help="only this group (default: every response)")
        parser.add_argument("--layout", choices=["wide", "long"], default="wide")
        parser.add_argument("--questionnaire", type=int, choices=[1, 2])

    def handle(self, *args, out: Path, group, layout, questionnaire, **options):
        if group:
            group_obj = get_group(group)
            responses, name = group_obj.responses(), group_obj.name
        else:
            responses, name = Response.objects.all(), None
        if questionnaire:
            responses = responses.filter(questionnaire=questionnaire)
        count = 0
        with open(out, "w", encoding="utf-8", newline="") as handle:
            for line in export_lines(
                responses, layout, group_name=name, questionnaire=questionnaire
            ):
                handle.write(line)
                count += 1
        self.stdout.write(f"Wrote {out} ({layout}, {count - 1} row(s))")
