"""Two analysts at the same moment, in two real transactions (PostgreSQL row locks)."""

import datetime
import threading

import pytest
from django.db import connection

from commitments import services
from commitments.models import Commitment, Status, StatusUpdate
from commitments.services.roles import EDITOR

from .factories import CommitmentFactory, member_of, reviewer


def postgres_or_skip():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks (make test runs this on PostgreSQL)")


def run_together(*jobs):
    """Start the jobs at one barrier, each on its own connection; return their results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(index, job):
        from django.db import connections

        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each job raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_one_wins_one_is_refused():
    postgres_or_skip()
    commitment = CommitmentFactory(title="Original")

    def save(title):
        def job():
            copy = Commitment.objects.get(pk=commitment.pk)
            copy.title = title
            return services.save_commitment(commitment=copy, expected_version=1)

        return job

    results = run_together(save("From A"), save("From B"))
    refused = [r for r in results if isinstance(r, services.StaleEditError)]
    saved = [r for r in results if isinstance(r, Commitment)]
    assert len(refused) == 1 and len(saved) == 1, results
    stored = Commitment.objects.get(pk=commitment.pk)
    assert stored.title == saved[0].title and stored.version == 2


@pytest.mark.django_db(transaction=True)
def test_two_updates_approved_at_once_both_land_and_the_latest_wins():
    postgres_or_skip()
    commitment = CommitmentFactory()
    first_editor = reviewer()
    second_editor = member_of(EDITOR, "second-editor")
    # Two statuses its unassessed criterion allows (approval checks the criteria again).
    updates = [
        services.record_status_update(
            commitment=commitment, as_of=as_of, rationale="r", evidence_url="https://example.org", **fields
        )
        for as_of, fields in (
            (datetime.date(2017, 1, 1), {"status": Status.IN_PROGRESS}),
            (
                datetime.date(2019, 1, 1),
                {"status": Status.STALLED, "reason_code": "not_prioritised", "reason_text": "r"},
            ),
        )
    ]

    def approve(update, editor):
        return lambda: services.approve_status_update(update=StatusUpdate.objects.get(pk=update.pk), reviewer=editor)

    results = run_together(approve(updates[0], first_editor), approve(updates[1], second_editor))
    assert not any(isinstance(r, Exception) for r in results), results
    commitment.refresh_from_db()
    assert commitment.status_updates.approved().count() == 2
    assert commitment.current_status == Status.STALLED
