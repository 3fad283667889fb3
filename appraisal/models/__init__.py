"""Models of the appraisal app: SKP planning (skp.py) and evaluation (evaluasi.py)."""

from .evaluasi import *  # noqa: F403
from .skp import *  # noqa: F403
