"""Models of the appraisal app: SKP planning (skp.py), evaluation (evaluasi.py) and objective
evidence (objektif.py)."""

from .evaluasi import *  # noqa: F403
from .objektif import *  # noqa: F403
from .skp import *  # noqa: F403
