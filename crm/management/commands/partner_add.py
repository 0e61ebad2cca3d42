"""`manage.py partner_add`: create a partner from the command line, duplicate check first.

Likely duplicates are listed with reasons and nothing is written (exit status 1) unless the
person passes --create-anyway, which partner_create records in the audit trail.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crm.dedup.explain import describe
from crm.models import PartnerKind
from crm.services.partners import DuplicatePartner, partner_create

TEXT_FIELDS = ("website", "ein", "phone", "street", "city", "zip")


class Command(BaseCommand):
    help = "Create a partner organization; refuses when it looks like an existing partner."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        for field in TEXT_FIELDS:
            parser.add_argument(f"--{field}", default="")
        parser.add_argument(
            "--kind", default=PartnerKind.NONPROFIT, choices=[k.value for k in PartnerKind]
        )
        parser.add_argument("--alias", action="append", default=[], dest="aliases")
        parser.add_argument(
            "--create-anyway",
            action="store_true",
            help="create even though likely duplicates exist (recorded in the audit trail)",
        )

    def handle(self, *args, **options):
        try:
            partner = partner_create(
                name=options["name"],
                kind=options["kind"],
                aliases=options["aliases"],
                create_anyway=options["create_anyway"],
                actor=None,
                source="command",
                **{field: options[field] for field in TEXT_FIELDS},
            )
        except DuplicatePartner as exc:
            self.stderr.write("Likely duplicates of this partner already exist:")
            for match in exc.matches:
                self.stderr.write(f"  #{match.id} {match.name}: {describe(match)}")
            raise CommandError(
                "Nothing created. Use the existing partner, or pass --create-anyway if this "
                "really is a different organization."
            ) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Created partner #{partner.pk} {partner.name} ({partner.slug}).")
