"""``manage.py expire_rooms``: apply the rooms' expiry schedule once (games/expiry.py).

Every server process already runs it each ROOM_EXPIRY_EVERY seconds; this command is for a
cron job or systemd timer when the servers are stopped, or to see what it does."""

from django.core.management.base import BaseCommand

from games.expiry import rooms_expire


class Command(BaseCommand):
    help = "Delete lobbies nobody started and old finished games; finish abandoned games."

    def handle(self, *args, **options):
        done = rooms_expire()
        self.stdout.write(
            f"lobbies deleted: {done.lobbies_deleted}, abandoned games finished: "
            f"{done.games_finished}, finished games deleted: {done.games_deleted}, "
            f"expired sessions cleared: {done.sessions_cleared}"
        )
