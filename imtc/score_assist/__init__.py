"""Pre-filled rubrics (annex 2, annex 5) and review documents. Not built yet: see the rubric issue."""
