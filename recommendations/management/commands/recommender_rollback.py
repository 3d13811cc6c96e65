"""`manage.py recommender_rollback`: serve an older model version again."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Re-activate an older recommender version (default: the newest finished version older "
        "than the active one), atomically. Its cached lists are rebuilt on demand; it keeps "
        "serving what it served before (model or baseline). `--list` shows the versions kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", type=int, metavar="ID", help="the version to activate")
        parser.add_argument("--list", action="store_true", help="list the versions and exit")

    def handle(self, *args, to, list, **options):
        from recommendations.models import ModelVersion

        versions = ModelVersion.objects.all()
        if list:
            for v in versions:
                mark = "*" if v.is_active else " "
                self.stdout.write(f"{mark} v{v.pk:<5} {v.created_at:%Y-%m-%d %H:%M}  {v.status:<9} {v.serving or '-':<10} {v.note}")
            return
        finished = versions.filter(status=ModelVersion.Status.READY).exclude(artifact="")
        active = finished.filter(is_active=True).first()
        if to is not None:
            target = finished.filter(pk=to).first()
            if target is None:
                raise CommandError(f"no finished version {to} with an artifact (see --list)")
        else:
            older = finished.filter(is_active=False)
            if active:
                older = older.filter(created_at__lte=active.created_at).exclude(pk=active.pk)
            target = older.order_by("-created_at", "-pk").first()
            if target is None:
                raise CommandError("no older finished version to roll back to (see --list)")
        target.activate()
        self.stdout.write(self.style.SUCCESS(f"Version {target.pk} is active again ({target.serving})."))
