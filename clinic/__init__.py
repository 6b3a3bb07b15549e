"""The clinic service: therapists see their patients' home training and change their plans.

Layering: clinic imports `progress` and `exercises` (the plan check, the FHIR mapping, the
success rule) and never `game`, `pygame` or `main`; the game never imports clinic
(tests/test_layering.py checks both).
"""
