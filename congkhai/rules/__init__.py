"""The rules: public posting obligations as data (rules/data/obligations.yml and the local ones units
impose), their versions in time and legal bases, working days, and the compliance of every unit:
for each obligation and period, posted on time, late, missing or not yet due.

May import: kinds and model.
"""
