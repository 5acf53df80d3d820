"""Standard exports (CycloneDX 1.6 ML-BOM, OSCAL, Excel, CSV) and the spreadsheet import.

``hc.exports`` (:class:`haechi.exports.service.ExportService`) is the entry point.
"""
