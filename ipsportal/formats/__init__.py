"""How dates read in each of the portal's languages (Django's FORMAT_MODULE_PATH).

Templates name a format (``|date:"DATE_FORMAT"``) rather than spell one out, so a date reads as
its reader's language writes it: "9. december 2026" in Danish (Django's own Danish formats,
which are right as they are), "9 December 2026" in English, where Django's own formats are
American ("Dec. 9, 2026"). A module here overrides only the names it sets; the rest, such as
what a date field accepts, stay Django's.
"""
