"""Excel imports: communities, units, volunteer rosters (在职党员进社区报到) and residents.

`columns` names each kind's sheet; `reader` streams a workbook into checked rows; `planners`
resolve the rows against the database and write them; `services.run_import` ties them together.
"""
