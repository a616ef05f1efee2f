"""Migrations 0006-0011 on a database that already holds data: updates recorded before review
stay public, and each commitment's criteria text becomes its first criterion."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("commitments", "0005_listing_indexes")]


def migrate(targets):
    # The command, not the executor alone: it drops the database triggers before migrating
    # and makes them afresh after (apps.py), as every deployment's migrate does.
    for app, name in targets:
        call_command("migrate", app, name, verbosity=0)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_updates_stay_approved_and_criteria_become_rows():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("commitments")
    old = migrate(BEFORE)
    Commitment = old.get_model("commitments", "Commitment")
    StatusUpdate = old.get_model("commitments", "StatusUpdate")
    commitment = Commitment.objects.create(
        slug="old",
        title="Old",
        summary="s",
        success_criteria="Up to 600 troops deployed.",
        theme="peacekeeping",
        pillar="react",
        made_on=datetime.date(2016, 8, 1),
        made_by="Canada",
        is_published=True,
    )
    Commitment.objects.create(
        slug="none",
        title="None",
        summary="s",
        theme="peacekeeping",
        pillar="react",
        made_on=datetime.date(2016, 8, 1),
        made_by="Canada",
    )
    StatusUpdate.objects.create(
        commitment=commitment,
        status="in_progress",
        as_of=datetime.date(2018, 1, 1),
        rationale="r",
        evidence_url="https://example.org",
    )
    try:
        new = migrate(latest)
        update = new.get_model("commitments", "StatusUpdate").objects.get()
        assert (update.review_state, update.method_version) == ("approved", "1")
        criteria = new.get_model("commitments", "SuccessCriterion").objects.all()
        assert [(c.commitment.slug, c.text, c.assessment) for c in criteria] == [
            ("old", "Up to 600 troops deployed.", "not_assessed")
        ]
        # New updates wait for review.
        assert new.get_model("commitments", "StatusUpdate")._meta.get_field("review_state").default == "pending"
        # Every table rebuilt on the way (SQLite) kept its triggers: the public version moves
        # and the search index knows the rows written before it existed, and their changes.
        version = new.get_model("commitments", "PublicDataVersion").objects.get(pk=1).counter
        new.get_model("commitments", "Commitment").objects.filter(slug="old").update(title="Renamed")
        assert new.get_model("commitments", "PublicDataVersion").objects.get(pk=1).counter > version
        entries = new.get_model("commitments", "SearchEntry").objects.values_list("title", flat=True)
        titles = {title.strip() for title in entries}  # a commitment's title with its French one
        assert {"Renamed", "None"} <= titles and "Old" not in titles
    finally:
        migrate(latest)
