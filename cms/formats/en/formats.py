"""English date formats: as Django's, with the time zone named after every time of day."""

DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
