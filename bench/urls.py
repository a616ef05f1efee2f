from django.urls import path

from tracker.urls import urlpatterns as site

from . import ceiling

urlpatterns = [path("bench/ceiling/", ceiling.commitment_rows, name="bench-ceiling"), *site]
