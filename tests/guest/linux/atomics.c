// C11 atomics contended by several threads, and the C11 threads library
// (thrd_create, mtx_t, cnd_t, tss_t, call_once) with _Thread_local. Each
// result is a count or a sum that no interleaving can change.
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

enum { THREADS = 4, ITERS = 25000 };

static atomic_long fetch_added;
static atomic_long cas_added;
static long spin_protected;
static atomic_flag spin = ATOMIC_FLAG_INIT;
static atomic_uint_least64_t mixed = 0;
static _Atomic(int) ticket_next, ticket_serving;
static long ticket_protected;

static int hammer(void *arg) {
  long id = (long)(intptr_t)arg;
  for (int i = 0; i < ITERS; i++) {
    atomic_fetch_add_explicit(&fetch_added, 1, memory_order_relaxed);
    long seen = atomic_load_explicit(&cas_added, memory_order_relaxed);
    while (!atomic_compare_exchange_weak_explicit(&cas_added, &seen, seen + 2, memory_order_acq_rel, memory_order_relaxed)) {
    }
    while (atomic_flag_test_and_set_explicit(&spin, memory_order_acquire)) {
    }
    spin_protected += 3;
    atomic_flag_clear_explicit(&spin, memory_order_release);
    atomic_fetch_xor(&mixed, (uint64_t)1 << (id * 8 + (i % 8)));
  }
  // A ticket lock: fairness by atomic counters alone.
  for (int i = 0; i < 500; i++) {
    int mine = atomic_fetch_add(&ticket_next, 1);
    while (atomic_load_explicit(&ticket_serving, memory_order_acquire) != mine) thrd_yield();
    ticket_protected++;
    atomic_fetch_add_explicit(&ticket_serving, 1, memory_order_release);
  }
  return (int)id;
}

// Message passing: a release store publishes data written before it.
static int payload[64];
static atomic_int ready_flag;

static int publisher(void *arg) {
  (void)arg;
  for (int i = 0; i < 64; i++) payload[i] = i * i;
  atomic_store_explicit(&ready_flag, 1, memory_order_release);
  return 0;
}

static int subscriber(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&ready_flag, memory_order_acquire)) thrd_yield();
  int sum = 0;
  for (int i = 0; i < 64; i++) sum += payload[i];
  return sum;
}

// C11 threads: a monitor with mtx_t and cnd_t, thread-specific storage, call_once.
static mtx_t lock;
static cnd_t turn_changed;
static int turn;
static once_flag once = ONCE_FLAG_INIT;
static int once_count;
static tss_t slot;
static atomic_int tss_destroyed;
static _Thread_local int tls_counter = 100;
static _Thread_local char tls_name[16];

static void count_once(void) { once_count++; }

static void tss_free(void *p) {
  atomic_fetch_add(&tss_destroyed, 1);
  free(p);
}

static int ping_pong(void *arg) {
  int me = (int)(intptr_t)arg;
  call_once(&once, count_once);
  int *mine = malloc(sizeof *mine);
  *mine = me;
  tss_set(slot, mine);
  snprintf(tls_name, sizeof tls_name, "player-%d", me);
  for (int round = 0; round < 100; round++) {
    mtx_lock(&lock);
    while (turn % 2 != me) cnd_wait(&turn_changed, &lock);
    turn++;
    tls_counter++;
    cnd_broadcast(&turn_changed);
    mtx_unlock(&lock);
  }
  int ok = *(int *)tss_get(slot) == me && tls_name[7] == '0' + me;
  return tls_counter * 10 + ok;
}

int main(void) {
  thrd_t t[THREADS];
  for (int i = 0; i < THREADS; i++) {
    if (thrd_create(&t[i], hammer, (void *)(intptr_t)i) != thrd_success) return 1;
  }
  int ids = 0;
  for (int i = 0; i < THREADS; i++) {
    int r;
    thrd_join(t[i], &r);
    ids += r;
  }
  printf("fetch_add: %ld (expected %d)\n", atomic_load(&fetch_added), THREADS * ITERS);
  printf("compare_exchange: %ld (expected %d)\n", atomic_load(&cas_added), 2 * THREADS * ITERS);
  printf("spinlock: %ld (expected %d)\n", spin_protected, 3 * THREADS * ITERS);
  printf("xor bits: %#018llx\n", (unsigned long long)atomic_load(&mixed));
  printf("ticket lock: %ld (expected %d), ids %d\n", ticket_protected, THREADS * 500, ids);
  printf("lock free: int %d, long %d, flag always\n", ATOMIC_INT_LOCK_FREE, ATOMIC_LONG_LOCK_FREE);

  thrd_t pub, sub;
  thrd_create(&sub, subscriber, NULL);
  thrd_create(&pub, publisher, NULL);
  int sum;
  thrd_join(pub, NULL);
  thrd_join(sub, &sum);
  printf("release/acquire: subscriber summed %d\n", sum);

  mtx_init(&lock, mtx_plain);
  cnd_init(&turn_changed);
  tss_create(&slot, tss_free);
  thrd_t players[2];
  for (int i = 0; i < 2; i++) thrd_create(&players[i], ping_pong, (void *)(intptr_t)i);
  for (int i = 0; i < 2; i++) {
    int r;
    thrd_join(players[i], &r);
    printf("player %d: thread-local counter %d, own tss and name %s\n", i, r / 10, r % 10 ? "yes" : "no");
  }
  printf("turns %d, call_once ran %d time(s), tss destructors %d, main's thread-local still %d\n", turn, once_count,
         atomic_load(&tss_destroyed), tls_counter);
  tss_delete(slot);
  cnd_destroy(&turn_changed);
  mtx_destroy(&lock);
  struct timespec ts = {0, 1000000};
  printf("thrd_sleep: %d\n", thrd_sleep(&ts, NULL));
  printf("thrd_equal(self, self): %d\n", thrd_equal(thrd_current(), thrd_current()) != 0);
  return 0;
}
