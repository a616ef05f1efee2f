"""Other apps' admin pages: accounts and groups (django.contrib.auth) and the sign-in
records (django-axes), registered again with HistoryGuard so that their history pages, like
ours, answer a missing id and an existing one alike to a colleague who may not see them."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from .common import HistoryGuard


class UserAdmin(HistoryGuard, auth_admin.UserAdmin):
    pass


class GroupAdmin(HistoryGuard, auth_admin.GroupAdmin):
    pass


class AccessAttemptAdmin(HistoryGuard, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(HistoryGuard, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(HistoryGuard, axes_admin.AccessFailureLogAdmin):
    pass


GUARDED = {
    User: UserAdmin,
    Group: GroupAdmin,
    AccessAttempt: AccessAttemptAdmin,
    AccessLog: AccessLogAdmin,
    AccessFailureLog: AccessFailureLogAdmin,
}

# Only what those apps registered (django-axes' pages can be turned off: AXES_ENABLE_ADMIN).
for model, model_admin in GUARDED.items():
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
