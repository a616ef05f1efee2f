"""Django's date formats, as the public site writes dates ("19 March 2018", not "March 19,
2018"): the admin's read-only dates and lists read them (FORMAT_MODULE_PATH). French keeps
Django's own, which already put the day first."""
