"""The sample company Hanbit Precision (한빛정밀) and its data."""
