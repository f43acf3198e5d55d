"""The pure domain: content model, typed answers, flow, rules, session, record, summary.

No Qt, no third-party package and no I/O: everything here is a function of its inputs,
so it is tested without a screen, a disk or a clock.
"""
