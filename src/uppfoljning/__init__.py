"""uppfoljning: Stockholm's annual follow-up of the action plan for social workers.

A data delivery is loaded (:mod:`uppfoljning.loading`), validated by Great
Expectations (:mod:`uppfoljning.validation`), turned into the published indicator
table (:mod:`uppfoljning.indicators`) and assembled into a Jupyter Book edition
(:mod:`uppfoljning.build`).
"""

__version__ = "0.1.0"
