"""Helpers the tests share (not tests themselves): ``deliveries`` (small deliveries
written in every file format), ``frames`` (typed frames built by hand), ``projects``
(copies of the project's inputs) and ``reference_reader`` (the reference
implementation's own reader of a delivery). Import them as ``from support.X import …``.

``tests/audit.py`` and ``tests/reference.py`` (the independent oracles of disclosure
and of the indicators) stay beside the tests until issue 27 lands.
"""
