"""Personal-data detectors of the SDK (``haechi_sdk.pii``), under their former name."""

from haechi_sdk.pii import KINDS, count_personal_data, find_personal_data, luhn_valid, redact, rrn_valid

__all__ = ["KINDS", "count_personal_data", "find_personal_data", "luhn_valid", "redact", "rrn_valid"]
