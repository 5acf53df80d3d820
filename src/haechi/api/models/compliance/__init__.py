"""Response bodies of the compliance operations, one module per concept: controls and the
compliance status, evidence and the audit ledger, risks and incidents, statutory documents."""
