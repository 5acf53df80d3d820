"""Monitoring of generative AI systems (``task: generative``): the event fields, the
generative pass of the DuckDB engine, the required marks from the verdict, and the
evidence a run offers for the transparency controls (KR Art. 31, EU Art. 50)."""
