"""How long after a course the portal looks (docs/domain.md, Outcomes): the one place for the
18 months of the success rate and its follow-up point, and the 4 months of retention after the
end. The follow-up schedule and the outcome rules both read these."""

OUTCOME_MONTHS = 18
RETENTION_MONTHS = 4
