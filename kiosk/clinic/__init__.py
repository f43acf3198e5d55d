"""The clinic's side, without Qt: clinician accounts, the audit trail, the summary index,
printing through CUPS and retention. State lives in one SQLite file in the data folder.
"""
