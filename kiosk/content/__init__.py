"""The content files (TOML, beside this module) and the code that loads and checks them.

Everything the kiosk says to a patient and every flag rule is data here; ``loader``
turns a folder of files into the domain's ``Content`` or a list of problems.
"""
