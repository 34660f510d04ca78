"""Small concepts shared across the package, each with one home: text and escaping, language codes,
CJK ranges, dates, HTML element tables, writing output files."""
