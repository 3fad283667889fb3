"""A burst of citizens submitting the public SKM questionnaire at once, through gunicorn:
submissions per second, and proof that what was stored equals what was accepted.

    .venv/bin/python bench/survey_burst.py --employees 5000 --citizens 2000 --concurrency 16

Every citizen is a distinct, honest client: their own cookie jar (device cookie and CSRF token),
their own address (X-Forwarded-For, read because bench.settings sets
SURVEY_CLIENT_ADDRESS_HEADER, as a deployment behind a proxy does), one form fetched with GET and
sent with POST only after the minimum fill time (surveys.services.MIN_FILL_SECONDS) has passed,
the honeypot left empty. They are spread over the channels of --units service units: a unit takes
its submissions one at a time (surveys.services._serialized_per_unit), as the rate and repeat rules
need. Accepted = answered with the redirect to the thank-you page; afterwards the script counts
the new Respons rows (all must be DITERIMA, none flagged) and their nine answers each."""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, ensure_database, load, percentile, table  # noqa: E402
from bench.pages import HOST, start_gunicorn, stop, wait_until_up  # noqa: E402

HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|stempel)" value="([^"]*)"')


@dataclass
class Citizen:
    index: int
    kode: str
    jenis_layanan: int | None
    cookies: dict[str, str] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)
    accepted: bool = False
    status: int = 0
    seconds: float = 0.0

    @property
    def address(self) -> str:
        return f"10.{self.index // 65536 % 256}.{self.index // 256 % 256}.{self.index % 256}"

    def headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"X-Forwarded-For": self.address, **({"Cookie": cookie} if cookie else {})}

    def remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]


def request(port: int, method: str, path: str, citizen: Citizen, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    headers = citizen.headers()
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://{HOST}:{port}{path}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    conn.close()
    citizen.remember(response)
    return response, text


def fetch_form(port: int, citizen: Citizen) -> None:
    response, text = request(port, "GET", f"/s/{citizen.kode}/", citizen)
    citizen.status = response.status
    citizen.hidden = dict(HIDDEN.findall(text))


def submit(port: int, citizen: Citizen) -> None:
    from surveys.forms import answer_field_name
    from surveys.rules import UNSUR_KODE

    data = {**citizen.hidden, "jenis_kelamin": "LP"[citizen.index % 2], "usia": str(20 + citizen.index % 50),
            "pendidikan": "SMA", "pekerjaan": "SWASTA", "pekerjaan_lain": "", "saran": "", "t": "", "website": ""}  # fmt: skip
    data.update({answer_field_name(kode): str(3 + (citizen.index + i) % 2) for i, kode in enumerate(UNSUR_KODE)})
    if citizen.jenis_layanan is not None:
        data["jenis_layanan"] = str(citizen.jenis_layanan)
    started = time.perf_counter()
    response, _text = request(port, "POST", f"/s/{citizen.kode}/", citizen, urllib.parse.urlencode(data))
    citizen.seconds = time.perf_counter() - started
    citizen.status = response.status
    citizen.accepted = response.status == 302 and "terima-kasih" in (response.headers.get("Location") or "")


def citizens_for(count: int, units: int) -> list[Citizen]:
    from surveys.models import JenisLayanan, SaluranSurvei

    channels = list(
        SaluranSurvei.objects.filter(aktif=True, unit_layanan__aktif=True, jenis="UNIT")
        .order_by("pk")
        .values_list("kode", "unit_layanan_id")[:units]
    )
    jenis = dict(JenisLayanan.objects.filter(aktif=True).order_by("-pk").values_list("unit_layanan_id", "pk"))
    return [Citizen(i, channels[i % len(channels)][0], jenis.get(channels[i % len(channels)][1])) for i in range(count)]


def run_phase(port: int, citizens: list[Citizen], action, concurrency: int) -> float:
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda c: action(port, c), citizens))
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=5000, help="which benchmark database")
    parser.add_argument("--citizens", type=int, default=2000, help="submissions in the burst")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--units", type=int, default=50, help="service units the citizens are spread over")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    ensure_database(args.employees)
    django_setup(args.employees)
    from django.conf import settings

    from surveys import services
    from surveys.models import JawabanUnsur, Respons

    citizens = citizens_for(args.citizens, args.units)
    min_fill = int(getattr(settings, "SURVEY_MIN_FILL_SECONDS", services.MIN_FILL_SECONDS))
    before = Respons.objects.count()
    before_answers = JawabanUnsur.objects.count()
    newest = Respons.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    server = start_gunicorn(args.employees, args.port, args.workers)
    try:
        wait_until_up(server, args.port)
        get_load = load()
        get_seconds = run_phase(args.port, citizens, fetch_form, args.concurrency)
        served = sum(1 for c in citizens if c.status == 200 and "stempel" in c.hidden)
        time.sleep(min_fill + 1)  # an honest citizen takes longer than the minimum to answer
        post_load = load()
        post_seconds = run_phase(args.port, citizens, submit, args.concurrency)
    finally:
        stop(server)
    accepted = sum(c.accepted for c in citizens)
    stored = Respons.objects.count() - before
    new_rows = Respons.objects.filter(pk__gt=newest)
    flagged = new_rows.exclude(status="DITERIMA").count()
    answers = JawabanUnsur.objects.count() - before_answers
    latencies = [c.seconds for c in citizens if c.accepted]
    rows = [
        ("forms served (GET)", served, f"{get_seconds:.2f}", f"{served / get_seconds:.1f}", "", "", get_load),
        ("submissions (POST)", len(citizens), f"{post_seconds:.2f}", f"{accepted / post_seconds:.1f}",
         f"{percentile(latencies, 50) * 1000:.0f}", f"{percentile(latencies, 95) * 1000:.0f}", post_load),
    ]  # fmt: skip
    print(f"\nSKM burst: {len(citizens)} citizens, {args.concurrency} concurrent, over {args.units} service units, "
          f"gunicorn -w {args.workers}, minimum fill {min_fill} s")  # fmt: skip
    print(table(("phase", "requests", "wall s", "per s", "p50 ms", "p95 ms", "load/cores"), rows))
    verdict = "OK" if accepted == stored == len(citizens) and flagged == 0 and answers == 9 * stored else "MISMATCH"
    print(f"accepted {accepted}, stored {stored} ({flagged} flagged), answers {answers} = 9 x {answers // 9}"
          f" -> {verdict}")  # fmt: skip
    print("Target: at least 200 submissions per second, stored == accepted, nothing lost.")
    if verdict != "OK":
        statuses = sorted({c.status for c in citizens if not c.accepted})
        print(f"not accepted: {len(citizens) - accepted} (HTTP statuses {statuses})")
        sys.exit(1)


if __name__ == "__main__":
    main()
