"""Everything that speaks SQL. Nothing outside this package (and the grouping/topic
persistence helpers it calls) writes queries; the facade calls these functions."""
