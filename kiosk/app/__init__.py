"""The application layer, without Qt: what the kiosk does with a patient's answers.

Configuration, the archive (saving, spool, the index), clinician accounts and the audit
trail, printing through CUPS, retention. The UI calls into it; it never imports Qt.
State lives in the output folder and one SQLite file in the data folder.
"""
