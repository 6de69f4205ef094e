from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.csv_io import ImportRejected
from surveys.services import responses_import


class Command(BaseCommand):
    help = (
        "Import paper questionnaire answers from a CSV file into a group, all rows or none. "
        "Given a published table (question,option,n,man,woman[,no_response]) it stores "
        "nothing and reports the rows that do not add up."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--questionnaire", type=int, choices=[1, 2], required=True)
        parser.add_argument("--group", required=True, help="group name (created if new)")

    def handle(self, *args, file: Path, questionnaire: int, group: str, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        try:
            result = responses_import(data=data, questionnaire=questionnaire, group_name=group)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file}: rejected, nothing imported ({len(rejected.problems)} problem(s))"
            ) from None
        if result.is_table:
            if result.slips:
                self.stdout.write(f"{file} is a published table; it does not add up:")
                for slip in result.slips:
                    self.stdout.write(f"  {slip}")
                raise CommandError(f"{len(result.slips)} arithmetic slip(s); nothing imported")
            self.stdout.write(f"{file} is a published table; every row adds up. Nothing imported.")
            return
        self.stdout.write(
            f"Imported {result.created} response(s) to questionnaire {questionnaire} "
            f"into group {result.group.name!r}"
            + (
                f"; {result.skipped} row(s) of the other questionnaire skipped"
                if result.skipped
                else ""
            )
        )
