"""ESG operations: energy and emissions of AI systems, industrial KPIs before and after
AI, social indicators and the ESG report.

The formula modules (``factors``, ``energy``, ``kpi``, ``effect``) are pure; the service
(``hc.esg``) stores records and builds reports through the facade.
"""
