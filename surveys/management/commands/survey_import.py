from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from surveys.csv_io import ImportRejected
from surveys.services import responses_import


def count(n: int, one: str, many: str) -> str:
    """ "1 response", "3 responses": this command speaks English only."""
    return f"{n} {one if n == 1 else many}"


class Command(BaseCommand):
    help = (
        "Import paper questionnaire answers from a CSV file into a group, all rows or none "
        "(checked first, then stored 1,000 rows per transaction). "
        "Given a published table (question,option,n,man,woman[,no_response]) it stores "
        "nothing and reports the rows that do not add up."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--questionnaire", type=int, choices=[1, 2], required=True)
        parser.add_argument("--group", required=True, help="group name (created if new)")

    @no_translations  # problems are reported in English here (the admin shows them translated)
    def handle(self, *args, file: Path, questionnaire: int, group: str, **options):
        try:
            handle = open(file, "rb")  # read as a stream, never whole
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        try:
            with handle:
                result = responses_import(
                    file=handle, questionnaire=questionnaire, group_name=group
                )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            problems = count(len(rejected.problems), "problem", "problems")
            raise CommandError(f"{file}: rejected, nothing imported ({problems})") from None
        if result.is_table:
            if result.slips:
                self.stdout.write(f"{file} is a published table; it does not add up:")
                for slip in result.slips:
                    self.stdout.write(f"  {slip}")
                slips = count(len(result.slips), "arithmetic slip", "arithmetic slips")
                raise CommandError(f"{slips}; nothing imported")
            self.stdout.write(f"{file} is a published table; every row adds up. Nothing imported.")
            return
        created = count(result.created, "response", "responses")
        skipped = count(result.skipped, "row", "rows")
        self.stdout.write(
            f"Imported {created} to questionnaire {questionnaire} "
            f"into group {result.group.name!r}"
            + (f"; {skipped} of the other questionnaire skipped" if result.skipped else "")
        )
        if options["verbosity"] >= 2:
            self.stdout.write(f"longest batch transaction: {result.longest_batch:.4f} s")
