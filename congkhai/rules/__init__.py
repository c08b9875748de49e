"""The rules: public posting obligations as data (rules/data/obligations.yml and the local ones units
impose) with the legal texts they rest on (obligations), how a version is chosen for a period and its
deadline counted (deadlines), working days and day swaps (calendar), and the compliance of every unit
(compliance, views): for each obligation and period, posted on time, late, missing or not yet due.

May import: kinds and model.
"""
