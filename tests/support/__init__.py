"""Helpers the tests share (not tests themselves): ``deliveries`` (small deliveries
written in every file format), ``frames`` (typed frames built by hand), ``projects``
(copies of the project's inputs), ``reference_reader`` (the reference
implementation's own reader of a delivery) and ``reference/`` (the reference
implementation's families, one module per source table, which ``tests/reference.py``
assembles). Import them as ``from support.X import …``.

``tests/audit.py`` and ``tests/reference.py`` (the independent oracles of disclosure
and of the indicators) stay beside the tests until issue 27 lands.
"""
