"""Reports: dossiers per AI system and organisation reports (HTML, PDF, JSON), ko/en.

``hc.reports`` (:class:`haechi.reports.service.ReportsService`) is the entry point;
the exports (CycloneDX, OSCAL, Excel/CSV) live in :mod:`haechi.exports` and the trust
passport in :mod:`haechi.passport`.
"""
