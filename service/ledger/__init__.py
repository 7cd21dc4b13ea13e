"""The pledge ledger (issue 12)."""
