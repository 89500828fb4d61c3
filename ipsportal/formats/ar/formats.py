# Django's Arabic formats set no date with a time (it would fall back to the American one) and
# use the 12-hour clock; the portal gives every time on the 24-hour clock, as in Denmark.
DATETIME_FORMAT = "j F، Y H:i"
TIME_FORMAT = "H:i"
