"""Security headers, admin sign-in lockout, HTTPS behind a proxy and the error pages."""

import secrets

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import path, reverse

from commitments.services.roles import ANALYST, EDITOR

from .factories import UserFactory, member_of
from .public_urls import public_urls

PASSWORD = "correct horse battery staple"
LOGIN_URL = "/admin/login/"


def test_every_public_page_sends_a_strict_content_security_policy(client, seed):
    for url in public_urls():
        response = client.get(url, follow=True)  # /data/releases/latest/ redirects to the newest
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["default-src"] == "'none'", url
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        # Only the embeds are made to sit in another site's page.
        framed = url.startswith(("/embed/", "/fr/embed/"))
        assert directives["frame-ancestors"] == ("*" if framed else "'none'"), url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def test_admin_pages_send_the_policy_too(client, seed):
    client.force_login(member_of(EDITOR, "eddie"))
    response = client.get(reverse("admin:commitments_commitment_changelist"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_cannot_be_framed_and_keep_the_referrer_to_the_site(client, seed):
    response = client.get("/commitments/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Admin sign-in lockout (django-axes) -------------------------------------------------


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def analyst(db):
    return member_of(ANALYST, "ana")


def test_five_wrong_passwords_lock_the_account_from_that_address(client, analyst, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, "ana", "wrong").status_code == 200  # the form again, with its error
    locked = sign_in(client, "ana", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused now, and no session is opened.
    again = sign_in(client, "ana", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_that_user_and_address_only(client, analyst, django_user_model):
    member_of(ANALYST, "bea")
    for _ in range(5):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana", PASSWORD).status_code == 429
    # A colleague at the same address, and the same user elsewhere, still sign in.
    assert sign_in(client, "bea", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "ana", PASSWORD, address="198.51.100.4").status_code == 302


def test_fewer_failures_then_success_start_the_count_again(client, analyst):
    for _ in range(4):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana", PASSWORD).status_code == 302


def test_an_editor_unlocks_a_colleague_in_the_admin(client, analyst):
    for _ in range(5):
        sign_in(client, "ana", "wrong")
    editor = member_of(EDITOR, "eddie")
    client.force_login(editor)
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200
    assert "ana" in attempts.content.decode()
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="ana")
    confirm = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert confirm.status_code == 302
    client.logout()
    assert sign_in(client, "ana", PASSWORD).status_code == 302


def test_an_analyst_cannot_unlock_accounts(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_the_editor_role_carries_the_unlock_permission(db):
    editor = Group.objects.get(name=EDITOR)
    assert editor.permissions.filter(codename="delete_accessattempt", content_type__app_label="axes").exists()
    analyst = Group.objects.get(name=ANALYST)
    assert not analyst.permissions.filter(content_type__app_label="axes").exists()


# --- Sign-in lockout behind proxies: the address the trusted proxy saw ---------------------

REAL_CLIENT = "203.0.113.7"
OTHER_CLIENT = "198.51.100.4"


def through(proxies: int, client: str, spoofed: str | None = None) -> dict[str, str]:
    """What Django receives from `client` through `proxies` nginx proxies, each setting
    X-Forwarded-For to $proxy_add_x_forwarded_for (what it received, then the address it
    received from). `spoofed` is the client's own X-Forwarded-For."""
    if proxies == 0:
        return {"REMOTE_ADDR": client, **({"HTTP_X_FORWARDED_FOR": spoofed} if spoofed else {})}
    hops = [spoofed] if spoofed else []
    hops.append(client)  # the outermost proxy adds the client's address
    hops += [f"10.0.0.{n}" for n in range(1, proxies)]  # each further proxy adds the one before
    return {"HTTP_X_FORWARDED_FOR": ", ".join(hops), "REMOTE_ADDR": "127.0.0.1"}  # nginx beside gunicorn


def sign_in_through(client, proxies, address, username, password, spoofed=None):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **through(proxies, address, spoofed))


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_a_client_that_changes_its_own_forwarded_for_is_still_locked_out(client, analyst, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    for attempt in range(5):
        spoofed = f"192.0.2.{attempt + 1}"  # a different made-up first hop each time
        sign_in_through(client, proxies, REAL_CLIENT, "ana", "wrong", spoofed=spoofed)
    assert sign_in_through(client, proxies, REAL_CLIENT, "ana", PASSWORD, spoofed="192.0.2.99").status_code == 429
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {REAL_CLIENT}


@pytest.mark.parametrize("proxies", [1, 2])
def test_two_clients_behind_the_same_proxy_have_their_own_counts(client, analyst, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    for _ in range(5):
        sign_in_through(client, proxies, OTHER_CLIENT, "ana", "wrong")  # someone trying to lock ana out
    assert sign_in_through(client, proxies, OTHER_CLIENT, "ana", PASSWORD).status_code == 429
    assert sign_in_through(client, proxies, REAL_CLIENT, "ana", PASSWORD).status_code == 302


def test_a_header_shorter_than_the_proxies_is_read_from_its_right(client, analyst, settings):
    """Three proxies configured, two entries: the request skipped a proxy, so only the entry the
    nearest proxy added (the right-most) is sure; an entry to its left may be the client's own."""
    settings.TRUSTED_PROXY_COUNT = 3
    for attempt in range(5):
        headers = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{attempt + 1}, {REAL_CLIENT}", "REMOTE_ADDR": "127.0.0.1"}
        client.post(LOGIN_URL, {"username": "ana", "password": "wrong"}, **headers)
    assert sign_in(client, "ana", PASSWORD, address="127.0.0.1").status_code == 302  # no header: the proxy's address
    client.logout()
    headers = {"HTTP_X_FORWARDED_FOR": f"192.0.2.99, {REAL_CLIENT}", "REMOTE_ADDR": "127.0.0.1"}
    assert client.post(LOGIN_URL, {"username": "ana", "password": PASSWORD}, **headers).status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, analyst, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(5):
        sign_in_through(client, 0, REAL_CLIENT, "ana", "wrong", spoofed=OTHER_CLIENT)
    assert sign_in(client, "ana", PASSWORD, address=OTHER_CLIENT).status_code == 302


# --- Sign-in attempts cannot grow the database ---------------------------------------------


def database_bytes() -> int:
    """The size of the test database, pages allocated so far included."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


def stored_attempts() -> list[dict]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return [row for model in (AccessAttempt, AccessFailureLog, AccessLog) for row in model.objects.values()]


def test_a_two_megabyte_username_is_refused_before_anything_is_stored(client, analyst):
    client.raise_request_exception = False  # a database error must show as the 500 a reader gets
    before = database_bytes()
    for _ in range(5):
        username = secrets.token_hex(1_000_000)  # 2 MB that no database can compress
        response = client.post(LOGIN_URL, {"username": username, "password": "wrong"}, REMOTE_ADDR=REAL_CLIENT)
        assert response.status_code == 200
        assert "at most 150 characters" in response.content.decode()
    assert stored_attempts() == []
    assert database_bytes() - before < 1_000_000
    assert sign_in(client, "ana", PASSWORD, address=REAL_CLIENT).status_code == 302  # and no lockout


def test_what_one_client_stores_stops_growing_once_locked_out(client, analyst, settings):
    junk = "x" * 100_000
    headers = {"HTTP_USER_AGENT": junk, "HTTP_ACCEPT": junk, "REMOTE_ADDR": REAL_CLIENT}
    sizes = []
    for _ in range(20):
        client.post(f"{LOGIN_URL}?next={junk}", {"username": "ana", "password": "wrong", "junk": junk}, **headers)
        sizes.append(sum(len(str(value)) for row in stored_attempts() for value in row.values()))
    assert sign_in(client, "ana", PASSWORD, address=REAL_CLIENT).status_code == 429
    assert sizes[-1] == sizes[settings.AXES_FAILURE_LIMIT - 1]  # nothing more once locked out
    (attempt,) = stored_attempts()
    assert len(attempt["username"]) <= 150
    assert len(attempt["user_agent"]) <= 255 and len(attempt["path_info"]) <= 255
    assert len(attempt["http_accept"]) <= 1025
    per_failure = 1024 + len("\n---------\n")  # django-axes keeps 1 KiB of each query per failure
    assert len(attempt["get_data"]) <= settings.AXES_FAILURE_LIMIT * per_failure
    assert len(attempt["post_data"]) <= settings.AXES_FAILURE_LIMIT * per_failure


# --- HTTPS behind a proxy -----------------------------------------------------------------


def test_plain_http_is_redirected_and_the_proxys_https_is_trusted(client, seed, settings):
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get("/commitments/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    behind_proxy = client.get("/commitments/", headers={"x-forwarded-proto": "https"})
    assert behind_proxy.status_code == 200
    assert "max-age=" in behind_proxy["Strict-Transport-Security"]


# --- Error pages ----------------------------------------------------------------------------


def test_an_unknown_host_is_a_400_page_in_the_sites_style(client, db, settings):
    settings.DEBUG = False
    response = client.get("/commitments/", headers={"host": "evil.example"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Bad request</h1>" in body and "site-header" in body


def test_a_forbidden_admin_action_is_a_403_page_in_the_sites_style(client, analyst, seed):
    from commitments.models import Commitment

    client.force_login(analyst)
    commitment = Commitment.objects.first()
    response = client.get(reverse("admin:commitments_commitment_delete", args=[commitment.pk]))
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()


def test_a_missing_csrf_token_explains_itself(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    UserFactory(username="ana")
    response = strict.post(LOGIN_URL, {"username": "ana", "password": PASSWORD})
    assert response.status_code == 403
    assert "security token" in response.content.decode()


def _crash(request):
    raise RuntimeError("a bug")


def _database_gone(request):
    from django.db import OperationalError

    raise OperationalError("server closed the connection unexpectedly")


# The site's own routes and error handlers, plus two views that fail.
from tracker.urls import handler500  # noqa: E402, F401
from tracker.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns = [
    # Like the public pages: English unprefixed, French under /fr/.
    *i18n_patterns(path("crash/", _crash), path("database-gone/", _database_gone), prefix_default_language=False),
    *site_urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_bug_is_a_500_page_and_a_database_outage_a_503_with_retry_after(client, db):
    client.raise_request_exception = False
    crash = client.get("/crash/")
    assert crash.status_code == 500
    assert "Something went wrong on our side" in crash.content.decode()
    outage = client.get("/database-gone/")
    assert outage.status_code == 503
    assert outage["Retry-After"] == "5"
    assert "cannot reach its database" in outage.content.decode()


def test_error_pages_speak_the_readers_language(client, db, settings):
    settings.DEBUG = False
    french = client.get("/fr/commitments/no-such-commitment/")
    assert french.status_code == 404
    assert '<html lang="fr">' in french.content.decode() and "Page introuvable" in french.content.decode()
    assert "Page not found" in client.get("/commitments/no-such-commitment/").content.decode()


@pytest.mark.urls(__name__)
def test_the_outage_page_is_french_under_fr(client, db):
    client.raise_request_exception = False
    outage = client.get("/fr/database-gone/")
    assert outage.status_code == 503
    assert "Temporairement indisponible" in outage.content.decode()
