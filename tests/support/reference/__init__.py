"""The independent reference implementation of indicators.md (``tests/reference.py``
assembles it), one module per family of indicators, by source table, as the package's
``indicators.FAMILIES``. It shares no code with the package: written from the
specification, loop-based, over the plain values ``support.reference_reader`` reads.

- :mod:`.common`: the edition's units and restatement, the accumulators and how a
  count or a ratio is written out (suppression), the published rounding;
- :mod:`.employments` (headcount, turnover; the spells and ``H_all`` the incidents and
  the staff ratios read), :mod:`.consultants`, :mod:`.consultant_costs`,
  :mod:`.job_ads`, :mod:`.visits`, :mod:`.caseload`, :mod:`.staff_survey`,
  :mod:`.incidents`, :mod:`.reinforcement`, :mod:`.staff_ratios` (managers,
  admin_support), :mod:`.exit_interviews`.

The decisions D1-D13 where the specification leaves room are listed in
``tests/reference.py``; each module names the ones it follows.
"""
