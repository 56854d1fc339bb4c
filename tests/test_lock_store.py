"""The atomic Redis lock store: tickets of one conversation are unique however many threads and
processes ask at once, a turn holds the conversation alone, and tickets and locks expire.
Rasa's own RedisLockStore is run through the same race to show what the store fixes (rasa#9213)."""

import asyncio
import multiprocessing
import threading
import time
import uuid
from collections import Counter

import pytest
import redis
from rasa.core.lock_store import RedisLockStore

from bot.lock_store import AtomicRedisLockStore

DB = 3
PREFIX = "test" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="module", autouse=True)
def services():
    from tests.services import services_up
    services_up()
    yield
    client = redis.Redis(db=DB)
    for key in client.scan_iter(f"{PREFIX}*"):
        client.delete(key)


def store(kind=AtomicRedisLockStore):
    return kind(host="127.0.0.1", port=6379, db=DB, key_prefix=PREFIX)


def issue_many(kind, conversation, count, start, out):
    lock_store = store(kind)
    start.wait()
    for _ in range(count):
        out.append(lock_store.issue_ticket(conversation, 60))


def issue_in_process(conversation, count, queue):
    lock_store = store()
    queue.put([lock_store.issue_ticket(conversation, 60) for _ in range(count)])


def race_threads(kind, threads=16, each=25):
    conversation = uuid.uuid4().hex
    start, out = threading.Barrier(threads), []
    workers = [threading.Thread(target=issue_many, args=(kind, conversation, each, start, out))
               for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return conversation, out


def test_threads_never_get_the_same_ticket():
    conversation, tickets = race_threads(AtomicRedisLockStore)
    assert sorted(tickets) == list(range(16 * 25))  # unique and without gaps
    lock = store().get_lock(conversation)
    assert [t.number for t in lock.tickets] == list(range(16 * 25))


def test_processes_never_get_the_same_ticket():
    conversation, queue = uuid.uuid4().hex, multiprocessing.get_context("fork").Queue()
    workers = [multiprocessing.get_context("fork").Process(target=issue_in_process, args=(conversation, 30, queue))
               for _ in range(8)]
    for worker in workers:
        worker.start()
    tickets = [t for _ in workers for t in queue.get(timeout=60)]
    for worker in workers:
        worker.join()
    assert sorted(tickets) == list(range(8 * 30))


def test_rasas_own_redis_lock_store_hands_out_the_same_ticket_twice():
    """The bug this store exists for; if a future Rasa fixes it, this test says so."""
    duplicates = 0
    for _ in range(5):
        _, tickets = race_threads(RedisLockStore)
        duplicates += sum(n - 1 for n in Counter(tickets).values() if n > 1)
        if duplicates:
            break
    assert duplicates > 0


def test_a_turn_holds_the_conversation_alone_and_the_lock_is_removed_after():
    conversation, inside, overlaps, order = uuid.uuid4().hex, [0], [], []

    async def turn(lock_store, n):
        async with lock_store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01):
            inside[0] += 1
            overlaps.append(inside[0])
            await asyncio.sleep(0.01)
            order.append(n)
            inside[0] -= 1

    async def replica_turns(n):
        lock_store = store()
        await asyncio.wait_for(asyncio.gather(*(turn(lock_store, n * 100 + i) for i in range(5))), 60)

    def replica(n):
        asyncio.run(replica_turns(n))

    workers = [threading.Thread(target=replica, args=(n,)) for n in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(order) == 30 and max(overlaps) == 1
    assert store().get_lock(conversation) is None  # the last one out removed the lock
    assert not redis.Redis(db=DB).exists(f"{PREFIX}:lock:{conversation}")


def test_tickets_expire_as_in_rasa_and_the_key_expires_in_redis():
    lock_store, conversation = store(), uuid.uuid4().hex
    assert lock_store.issue_ticket(conversation, 0.3) == 0
    assert lock_store.issue_ticket(conversation, 30) == 1
    ttl = redis.Redis(db=DB).pttl(f"{PREFIX}:lock:{conversation}")
    assert 29_000 < ttl <= 31_000
    time.sleep(0.5)
    lock_store.update_lock(conversation)
    lock = lock_store.get_lock(conversation)
    assert [t.number for t in lock.tickets] == [1] and not lock.is_locked(1)  # the expired one is gone
    other = uuid.uuid4().hex
    lock_store.issue_ticket(other, 0.2)
    time.sleep(1.5)
    assert not redis.Redis(db=DB).exists(f"{PREFIX}:lock:{other}")  # a killed server's lock goes away


def test_loaded_from_an_endpoints_entry():
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig
    config = EndpointConfig(url="127.0.0.1", type="bot.lock_store.AtomicRedisLockStore", port=6379, db=DB,
                            key_prefix=PREFIX)
    lock_store = LockStore.create(config)
    assert isinstance(lock_store, AtomicRedisLockStore) and lock_store.key_prefix == f"{PREFIX}:lock:"
    assert lock_store.issue_ticket(uuid.uuid4().hex) == 0
