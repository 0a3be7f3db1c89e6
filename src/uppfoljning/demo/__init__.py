"""Deterministic synthetic demo delivery.

``write_demo_delivery`` writes every table of the data contract as a CSV file into a
folder. Everything is drawn from ``numpy.random.default_rng(seed)`` in a fixed order, so
the same seed always gives byte-identical files.

The data are invented but calibrated to the figures the follow-up of Stockholm's action
plan is known for: a break in personnel turnover in 2019, 100 consultants in November
2016 and 34 in November 2018, consultant costs of 111 mnkr in 2016, and so on. The
organisation follows the city's real history of district mergers (2020 and 2023).

The modules, in the order the generator uses them:

- :mod:`.common`: the period covered, the occupations, the column order of every
  table and calendar helpers;
- :mod:`.organisation`: the units and their mergers;
- :mod:`.workforce`: the employment spells, simulated month by month;
- :mod:`.tables`: every other table, drawn from the workforce;
- :mod:`.write`: the CSV files.
"""

from .common import DEMO_TABLES
from .write import write_demo_delivery

__all__ = ["write_demo_delivery", "DEMO_TABLES"]
