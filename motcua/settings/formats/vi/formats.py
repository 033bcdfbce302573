"""Vietnamese date and number formats for every page: dd/mm/yyyy, 24-hour times.

Django's own `vi` formats write dates in words ("Ngày 07 tháng 12 năm 2026") and short dates with
dashes ("07-12-2026", time first); pages, tables and exports here write "07/12/2026 15:30", the
form people read on paper records. Templates may still pass an explicit format, but it follows
the same order (see docs/style-vi.md). Input formats stay Django's (ISO first), which `<input type="date">`
needs.
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
FIRST_DAY_OF_WEEK = 1
