"""The read-only JSON API (Django REST framework): urls, views and serializers."""
