"""The clinic database as earlier releases made it, for the migration tests."""

from __future__ import annotations

#: Version 1 of the clinic database exactly as it was released (before the index).
V1_SCHEMA = """
CREATE TABLE clinicians (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL, failed INTEGER NOT NULL DEFAULT 0, locked_until TEXT,
    created TEXT NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, clinician_id INTEGER,
    action TEXT NOT NULL, document_id TEXT);
CREATE TABLE summary_status (document_id TEXT PRIMARY KEY, reviewed_by INTEGER,
    reviewed_at TEXT, printed_at TEXT);
CREATE TABLE print_queue (document_id TEXT PRIMARY KEY, queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
PRAGMA user_version = 1;
"""


#: Version 2 of the clinic database exactly as it was released (the index, no consent).
V2_SCHEMA = (
    V1_SCHEMA.replace("PRAGMA user_version = 1;", "")
    + """
CREATE TABLE summaries (document_id TEXT PRIMARY KEY, created TEXT NOT NULL,
    patient TEXT NOT NULL, highest INTEGER, flags INTEGER NOT NULL,
    content_version TEXT NOT NULL, language TEXT NOT NULL,
    location TEXT NOT NULL CHECK (location IN ('folder', 'spool')),
    file_name TEXT NOT NULL, file_mtime_ns INTEGER NOT NULL DEFAULT 0);
CREATE INDEX summaries_by_file ON summaries (location, file_name);
CREATE TABLE archive_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
PRAGMA user_version = 2;
"""
)
