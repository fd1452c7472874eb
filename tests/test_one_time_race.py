"""A one-time password (shown once by the coordinator's page) replaced by two sign-ins
racing, on real SQLite and PostgreSQL stores."""

from __future__ import annotations

import threading

from vises_nb.store import accounts
from vises_nb.store.store import Store


def test_a_one_time_password_is_replaced_once_when_two_sign_ins_race(empty_store_url):
    """Two sign-ins with the same one-time password (the person, and whoever read the
    mail that carried it) each choose their own at the same moment: each read "must
    change" before either wrote, so both were told their password was set, and the last
    write won. Exactly one may replace it; the other is sent back to sign in."""
    store = Store.open(empty_store_url, create=True)
    try:
        accounts.add_person(store, "rita", "researcher", "Abcd-Efgh-Jkmn-Pqrs", one_time=True)
        start = threading.Barrier(2)
        done: dict[str, bool] = {}

        def choose(password: str) -> None:
            start.wait()
            done[password] = accounts.replace_one_time_password(store, "rita", password)

        threads = [threading.Thread(target=choose, args=(p,))
                   for p in ("the person's own choice 1", "someone else's choice 22")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert sorted(done.values()) == [False, True], done
        winner = next(p for p, ok in done.items() if ok)
        loser = next(p for p, ok in done.items() if not ok)
        assert accounts.authenticate(store, "rita", winner) is not None
        assert accounts.authenticate(store, "rita", loser) is None
    finally:
        store.close()
