# English as it is written in Denmark and Britain: the day before the month, no comma, and the
# 24-hour clock the rest of the portal shows.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
