# Django's Arabic formats set no date with a time (it would fall back to the American one) and a
# 12-hour clock; a meeting's time is given as the Danish letters and the staff's pages give it.
DATETIME_FORMAT = "j F، Y H:i"
TIME_FORMAT = "H:i"
