from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from games import debrief, reports
from games.models import Room
from surveys.csv_io import csv_lines
from surveys.management.commands._common import get_group

OUTCOME_LABELS = {
    debrief.TAKEN: gettext_noop("taken by a player"),
    debrief.TIMED_OUT: gettext_noop("time ran out"),
    debrief.SKIPPED: gettext_noop("answer shown by the host"),
    debrief.NOT_READ: gettext_noop("not read"),
}


class Command(BaseCommand):
    help = (
        "A game's debrief: which values were read and which were taken instead (most frequent "
        "first), or with --cards how each card went; --group sums a research group's rooms."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="the room's code")
        parser.add_argument("--group", help="a research group: its rooms summed")
        parser.add_argument("--cards", action="store_true", help="one row per card (one room)")
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument("--lang", choices=["en", "ja"], default="en")

    def handle(self, *args, code, group, cards, format, lang, **options):
        if bool(code) == bool(group):
            raise CommandError("give a room code or --group NAME (one of them)")
        if group:
            if cards:
                raise CommandError("--cards is for one room: give its code")
            codes = list(get_group(group).rooms.values_list("room_code", flat=True))
            rooms = list(Room.objects.filter(code__in=codes))
        else:
            room = Room.objects.filter(code=code.strip().upper()).first()
            if room is None:
                raise CommandError(f"no room with the code {code!r}")
            rooms = [room]
        if format == "csv":  # names in English: a file read by scripts
            header, rows = reports.csv_table(rooms, per_card=cards)
            for line in csv_lines(header, rows):
                self.stdout.write(line, ending="")
            return
        taps = reports.taps(rooms)
        names = reports.value_names(lang)
        if cards:
            rows = reports.card_rows(debrief.card_figures(reports.cards(rooms[0]), taps), names)
        else:
            rows = reports.confusion_rows(debrief.confusion_pairs(taps), names)
        with translation.override(lang):
            self.stdout.write(self._text(cards, rows))

    def _text(self, cards: bool, rows: list[list]) -> str:
        if cards:
            lines = [_("Cards in reading order (wrong takes before it, time to the take):")]
            for number, name, ended, before, elapsed in rows:
                seconds = f"{elapsed / 1000:.1f} s" if elapsed != "" else "—"
                label = _(OUTCOME_LABELS[ended])
                lines.append(f"{number:>2} {name}: {label}, {before}, {seconds}")
            return "\n".join(lines) + "\n"
        if not rows:
            return _("No wrong takes: no value was confused with another.") + "\n"
        lines = [_("Values read → values taken instead (wrong takes):")]
        for read, read_name, taken, taken_name, count in rows:
            lines.append(f"{count:>3}  {read:>2} {read_name} → {taken:>2} {taken_name}")
        return "\n".join(lines) + "\n"
