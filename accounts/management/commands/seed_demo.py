"""``manage.py seed_demo``: load the demo instansi and print the demo logins (see accounts/demo.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from accounts import demo


class Command(BaseCommand):
    help = (
        "Create the demo instansi (Kota Dumai, Kota Tebingtinggi) with their organisation, employees "
        "and demo logins. An instansi that already exists is skipped; --reset rebuilds them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=demo.DEFAULT_EMPLOYEES,
            help=f"employees across both instansi (default {demo.DEFAULT_EMPLOYEES})",
        )
        parser.add_argument("--reset", action="store_true", help="delete the demo instansi first, then rebuild")
        parser.add_argument(
            "--workload",
            action="store_true",
            help="benchmark workload: every employee gets an approved SKP, realisations and final evaluations "
            "for every period, 360° answers, and every puskesmas/kelurahan SKM responses (bench/README.md)",
        )

    def handle(self, *args, employees: int, reset: bool, workload: bool = False, **options):
        minimum = demo.MIN_EMPLOYEES_PER_INSTANSI * len(demo.DEMO_INSTANSI)
        if employees < minimum:
            raise CommandError(f"--employees must be at least {minimum}.")
        if reset:
            # Appraisal rows of the demo instansi go first (they point at employees and units).
            from appraisal.demo import demo_reset_appraisal
            from surveys.demo import demo_reset_surveys
            from talenta.demo import demo_reset_talenta

            demo_reset_surveys(list(demo.demo_instansi_ids()))
            demo_reset_talenta(list(demo.demo_instansi_ids()))
            demo_reset_appraisal(list(demo.demo_instansi_ids()))
            try:
                deleted = demo.demo_reset()
            except demo.DemoResetBlocked as exc:
                raise CommandError(f"Cannot reset: these tables still hold data of the demo instansi: {exc}.") from exc
            except ProtectedError as exc:
                raise CommandError(f"Cannot reset: {exc.args[0]}") from exc
            self.stdout.write(f"Deleted {deleted} demo instansi.")
        started = time.monotonic()
        results = demo.seed_demo(employees=employees)
        for result in results:
            if result.created:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Created {result.nama} ({result.kode}): {result.units} units, "
                        f"{result.jabatan} jabatan, {result.pegawai} pegawai."
                    )
                )
                if result.refreshed:  # the in-memory resolution and hierarchy_refresh disagree
                    self.stdout.write(self.style.WARNING(f"hierarchy_refresh corrected {result.refreshed} pegawai."))
            else:
                self.stdout.write(f"{result.nama} ({result.kode}) already exists, skipped (use --reset to rebuild).")
        if workload:  # also completes demo instansi seeded earlier without it (skips a year already open)
            self.seed_workload([r.kode for r in results])
        else:
            self.seed_appraisal([r.kode for r in results if r.created])
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.\n")
        self.stdout.write(self.login_table(demo.demo_logins()))

    def seed_appraisal(self, kodes: list[str]) -> None:
        """Open this year's SKP period in each new demo instansi and plant SKPs (appraisal/demo.py)."""
        from accounts.models import Instansi, User
        from appraisal.demo import seed_skp_demo
        from appraisal.demo_objektif import seed as seed_katalog
        from appraisal.demo_objektif import seed_import
        from surveys.demo import seed_skm_demo
        from talenta.demo import seed_talenta_demo

        logins = {lg.username: lg for lg in demo.demo_logins()}
        pegawai_of = dict(User.objects.filter(username__in=logins).values_list("username", "pegawai_id"))
        keep_free = {pegawai_of[u] for u, lg in logins.items() if lg.role == "pegawai" and pegawai_of.get(u)}
        waiting_for = {pegawai_of[u] for u, lg in logins.items() if lg.role == "supervisor" and pegawai_of.get(u)}
        for instansi in Instansi.objects.filter(kode__in=kodes):
            result = seed_skp_demo(instansi=instansi, keep_free=keep_free, waiting_for=waiting_for)
            self.stdout.write(f"{instansi.nama}: SKP period opened, {result.skp} SKP planted.")
            responses = seed_skm_demo(instansi=instansi)
            self.stdout.write(f"{instansi.nama}: {responses} SKM responses in its service units.")
            self.stdout.write(f"{instansi.nama}: {seed_katalog(instansi)} catalogue indicators.")
            self.stdout.write(f"{instansi.nama}: {seed_import(instansi)} realisations imported from a file.")
            talenta = seed_talenta_demo(instansi=instansi)
            self.stdout.write(f"{instansi.nama}: {talenta['pelatihan']} trainings in the development catalogue.")

    def seed_workload(self, kodes: list[str]) -> None:
        """The whole year for every employee, in bulk (appraisal/demo_bulk.py, surveys/demo_bulk.py)."""
        from accounts.models import Instansi
        from appraisal.demo_bulk import seed_workload
        from surveys.demo_bulk import seed_skm_workload

        for instansi in Instansi.objects.filter(kode__in=kodes):
            started = time.monotonic()
            r = seed_workload(instansi=instansi)
            self.stdout.write(
                f"{instansi.nama}: {r.skp} SKP, {r.rhk} RHK, {r.iki} IKI, {r.realisasi} realisasi, "
                f"{r.evaluasi} evaluasi, {r.jawaban_360} jawaban 360° ({time.monotonic() - started:.1f} s)."
            )
            started = time.monotonic()
            responses = seed_skm_workload(instansi=instansi)
            self.stdout.write(f"{instansi.nama}: {responses} SKM responses ({time.monotonic() - started:.1f} s).")

    @staticmethod
    def login_table(logins: list[demo.DemoLogin]) -> str:
        header = ("role", "username", "password", "instansi", "nama")
        rows = [header] + [(lg.role, lg.username, lg.password, lg.instansi or "-", lg.nama) for lg in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = ["Demo logins:"]
        for index, row in enumerate(rows):
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)
