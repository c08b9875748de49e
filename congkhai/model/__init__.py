"""The model: what the portal is made of, read and checked from the files authors write — units
(units/<code>.yml), documents (content/<unit>/<kind>/<slug>.md) with their fields, periods, files and
Markdown bodies, the kind of a document (model.kind, filled in by the registry in congkhai.kinds),
Vietnamese text and the problems found, each naming file, line, field, value and fix.

May import: nothing of the package above it (it is the bottom stage). Configuration arrives as values
(Limits, dates), never as files.
"""
