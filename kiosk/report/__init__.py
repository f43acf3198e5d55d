"""The clinician's PDF summary: a plain ``Summary`` in, PDF bytes out.

Importing this package imports ReportLab (about 0.2 s), so the app imports it lazily
and may call ``prepare()`` ahead of the first patient. It never imports Qt.
"""

from kiosk.report.pdf import build_report, prepare, render_pdf

__all__ = ["build_report", "prepare", "render_pdf"]
