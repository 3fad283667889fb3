"""PostgreSQL session settings SIKAP relies on (bench/README.md: the JIT cost the HR dashboard
1.2 s per request at 100 000 employees)."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_postgresql_sessions_run_without_the_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_postgresql_sessions_plan_wide_joins_in_small_groups():
    """An object page's select_related joins eleven tables: planned in groups of four (1.3 ms)
    rather than eight (5.5 ms) at 100 000 employees."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone()[0] == "4"
