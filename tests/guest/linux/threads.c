// POSIX threads as glibc implements them over clone and futexes: a counter
// behind a mutex, a bounded buffer with condition variables, a barrier, a
// read-write lock, semaphores, pthread_once, thread-specific data, a timed
// wait that times out, a detached thread, and return values through join.
// Everything printed is decided by the program, not by the interleaving.
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK(call)                                                          \
  do {                                                                       \
    int rc_ = (call);                                                        \
    if (rc_ != 0) {                                                          \
      fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, strerror(rc_)); \
      exit(1);                                                               \
    }                                                                        \
  } while (0)

enum { WORKERS = 4, ROUNDS = 20000 };

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg) {
  long id = (long)arg;
  for (int i = 0; i < ROUNDS; i++) {
    CHECK(pthread_mutex_lock(&counter_lock));
    counter++;
    CHECK(pthread_mutex_unlock(&counter_lock));
  }
  return (void *)(id * 100);
}

static void mutex_counter(void) {
  pthread_t t[WORKERS];
  for (long i = 0; i < WORKERS; i++) CHECK(pthread_create(&t[i], NULL, count_up, (void *)i));
  long sum = 0;
  for (int i = 0; i < WORKERS; i++) {
    void *ret;
    CHECK(pthread_join(t[i], &ret));
    sum += (long)ret;
  }
  printf("mutex counter: %ld (expected %d), return values sum %ld\n", counter, WORKERS * ROUNDS, sum);
}

// A bounded buffer: producers block when it is full, consumers when empty.
enum { SLOTS = 8, ITEMS = 5000, PRODUCERS = 2, CONSUMERS = 3 };
static int buffer[SLOTS];
static int head, tail, used, produced_done;
static pthread_mutex_t buf_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static long consumed_sum[CONSUMERS], consumed_count[CONSUMERS];

static void *produce(void *arg) {
  int base = (int)(long)arg * ITEMS;
  for (int i = 1; i <= ITEMS; i++) {
    pthread_mutex_lock(&buf_lock);
    while (used == SLOTS) pthread_cond_wait(&not_full, &buf_lock);
    buffer[head] = base + i;
    head = (head + 1) % SLOTS;
    used++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&buf_lock);
  }
  pthread_mutex_lock(&buf_lock);
  produced_done++;
  pthread_cond_broadcast(&not_empty);
  pthread_mutex_unlock(&buf_lock);
  return NULL;
}

static void *consume(void *arg) {
  long id = (long)arg;
  for (;;) {
    pthread_mutex_lock(&buf_lock);
    while (used == 0 && produced_done < PRODUCERS) pthread_cond_wait(&not_empty, &buf_lock);
    if (used == 0) {
      pthread_mutex_unlock(&buf_lock);
      return NULL;
    }
    int item = buffer[tail];
    tail = (tail + 1) % SLOTS;
    used--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&buf_lock);
    consumed_sum[id] += item;
    consumed_count[id]++;
  }
}

static void producer_consumer(void) {
  pthread_t p[PRODUCERS], c[CONSUMERS];
  for (long i = 0; i < CONSUMERS; i++) CHECK(pthread_create(&c[i], NULL, consume, (void *)i));
  for (long i = 0; i < PRODUCERS; i++) CHECK(pthread_create(&p[i], NULL, produce, (void *)i));
  for (int i = 0; i < PRODUCERS; i++) CHECK(pthread_join(p[i], NULL));
  for (int i = 0; i < CONSUMERS; i++) CHECK(pthread_join(c[i], NULL));
  long sum = 0, count = 0;
  for (int i = 0; i < CONSUMERS; i++) sum += consumed_sum[i], count += consumed_count[i];
  long n = (long)PRODUCERS * ITEMS;
  printf("producer/consumer: %ld items, sum %ld (expected %ld)\n", count, sum, n * (n + 1) / 2);
}

// Each phase needs every thread's result of the phase before.
enum { PHASES = 50, PARTIES = 4 };
static pthread_barrier_t barrier;
static int phase_value[PARTIES];
static long phase_checks;

static void *phased(void *arg) {
  int id = (int)(long)arg;
  for (int p = 0; p < PHASES; p++) {
    phase_value[id] = p * 10 + id;
    int serial = pthread_barrier_wait(&barrier);
    if (serial != 0 && serial != PTHREAD_BARRIER_SERIAL_THREAD) exit(2);
    int left = phase_value[(id + 1) % PARTIES];
    if (left != p * 10 + (id + 1) % PARTIES) {
      fprintf(stderr, "barrier broken at phase %d\n", p);
      exit(3);
    }
    __atomic_fetch_add(&phase_checks, 1, __ATOMIC_RELAXED);
    pthread_barrier_wait(&barrier);
  }
  return NULL;
}

static void barrier_phases(void) {
  pthread_t t[PARTIES];
  CHECK(pthread_barrier_init(&barrier, NULL, PARTIES));
  for (long i = 0; i < PARTIES; i++) CHECK(pthread_create(&t[i], NULL, phased, (void *)i));
  for (int i = 0; i < PARTIES; i++) CHECK(pthread_join(t[i], NULL));
  pthread_barrier_destroy(&barrier);
  printf("barrier: %ld checks in %d phases\n", phase_checks, PHASES);
}

// Readers see both halves of a pair equal; writers keep them equal under the write lock.
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long pair[2];
static long torn;

static void *rw_reader(void *arg) {
  (void)arg;
  for (int i = 0; i < 3000; i++) {
    pthread_rwlock_rdlock(&rw);
    if (pair[0] != pair[1]) __atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
    pthread_rwlock_unlock(&rw);
  }
  return NULL;
}

static void *rw_writer(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; i++) {
    pthread_rwlock_wrlock(&rw);
    pair[0]++;
    for (volatile int spin = 0; spin < 20; spin++) {
    }
    pair[1]++;
    pthread_rwlock_unlock(&rw);
  }
  return NULL;
}

static void rwlock_pairs(void) {
  pthread_t r[3], w[2];
  for (int i = 0; i < 3; i++) CHECK(pthread_create(&r[i], NULL, rw_reader, NULL));
  for (int i = 0; i < 2; i++) CHECK(pthread_create(&w[i], NULL, rw_writer, NULL));
  for (int i = 0; i < 3; i++) CHECK(pthread_join(r[i], NULL));
  for (int i = 0; i < 2; i++) CHECK(pthread_join(w[i], NULL));
  printf("rwlock: pair %ld/%ld, torn reads %ld\n", pair[0], pair[1], torn);
}

// A semaphore hands out tokens; a second one counts finished workers.
static sem_t tokens, finished;
static int in_use, max_in_use;
static pthread_mutex_t use_lock = PTHREAD_MUTEX_INITIALIZER;

static void *limited(void *arg) {
  (void)arg;
  for (int i = 0; i < 200; i++) {
    while (sem_wait(&tokens) != 0) {
    }
    pthread_mutex_lock(&use_lock);
    if (++in_use > max_in_use) max_in_use = in_use;
    pthread_mutex_unlock(&use_lock);
    sched_yield();
    pthread_mutex_lock(&use_lock);
    in_use--;
    pthread_mutex_unlock(&use_lock);
    sem_post(&tokens);
  }
  sem_post(&finished);
  return NULL;
}

static void semaphores(void) {
  enum { N = 6 };
  pthread_t t[N];
  sem_init(&tokens, 0, 2);
  sem_init(&finished, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (int i = 0; i < N; i++) CHECK(pthread_create(&t[i], &attr, limited, NULL));
  pthread_attr_destroy(&attr);
  for (int i = 0; i < N; i++) sem_wait(&finished);
  int value;
  sem_getvalue(&tokens, &value);
  printf("semaphores: at most %d holders of 2 tokens, %d tokens back\n", max_in_use, value);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int destructor_runs;

static void init_once(void) { once_runs++; }

static void destroy_value(void *v) {
  __atomic_fetch_add(&destructor_runs, 1, __ATOMIC_RELAXED);
  free(v);
}

static void *keyed(void *arg) {
  pthread_once(&once, init_once);
  long *mine = malloc(sizeof *mine);
  *mine = (long)arg;
  pthread_setspecific(key, mine);
  sched_yield();
  long *again = pthread_getspecific(key);
  return (void *)(long)(again == mine && *again == (long)arg);
}

static void once_and_keys(void) {
  enum { N = 5 };
  pthread_t t[N];
  CHECK(pthread_key_create(&key, destroy_value));
  for (long i = 0; i < N; i++) CHECK(pthread_create(&t[i], NULL, keyed, (void *)i));
  int ok = 0;
  for (int i = 0; i < N; i++) {
    void *r;
    pthread_join(t[i], &r);
    ok += (int)(long)r;
  }
  printf("once: %d run; keys: %d of %d threads saw their own value, %d destructors\n", once_runs, ok, N, destructor_runs);
}

static void timed_wait(void) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t c = PTHREAD_COND_INITIALIZER;
  struct timespec start, deadline, end;
  clock_gettime(CLOCK_REALTIME, &start);
  deadline = start;
  deadline.tv_nsec += 50 * 1000 * 1000;
  if (deadline.tv_nsec >= 1000000000) deadline.tv_sec++, deadline.tv_nsec -= 1000000000;
  pthread_mutex_lock(&m);
  int rc = pthread_cond_timedwait(&c, &m, &deadline);
  pthread_mutex_unlock(&m);
  clock_gettime(CLOCK_REALTIME, &end);
  double waited = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  printf("timed wait: %s, waited at least 50 ms: %s\n", rc == ETIMEDOUT ? "ETIMEDOUT" : strerror(rc), waited >= 0.05 ? "yes" : "no");
  struct timespec later;
  clock_gettime(CLOCK_REALTIME, &later);
  later.tv_sec += 1;
  rc = pthread_mutex_timedlock(&counter_lock, &later);
  printf("timedlock of a free mutex: %d\n", rc);
  pthread_mutex_unlock(&counter_lock);
}

static void *sleeper(void *arg) {
  struct timespec ts = {0, (long)arg * 1000 * 1000};
  nanosleep(&ts, NULL);
  return arg;
}

static void sleeping_threads(void) {
  pthread_t t[3];
  for (long i = 0; i < 3; i++) CHECK(pthread_create(&t[i], NULL, sleeper, (void *)((3 - i) * 10)));
  long total = 0;
  for (int i = 0; i < 3; i++) {
    void *r;
    pthread_join(t[i], &r);
    total += (long)r;
  }
  printf("sleepers: joined after sleeping %ld ms in all\n", total);
}

static void *trylocker(void *arg) {
  (void)arg;
  return (void *)(long)pthread_mutex_trylock(&counter_lock);
}

static void trylock_busy(void) {
  pthread_t t;
  pthread_mutex_lock(&counter_lock);
  CHECK(pthread_create(&t, NULL, trylocker, NULL));
  void *r;
  pthread_join(t, &r);
  pthread_mutex_unlock(&counter_lock);
  printf("trylock of a held mutex: %s\n", (long)r == EBUSY ? "EBUSY" : "something else");
  pthread_mutex_t ec;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&ec, &attr);
  pthread_mutex_lock(&ec);
  printf("errorcheck relock: %s\n", pthread_mutex_lock(&ec) == EDEADLK ? "EDEADLK" : "something else");
  pthread_mutex_unlock(&ec);
}

static void *exiting(void *arg) {
  (void)arg;
  pthread_exit((void *)42);
}

static void *lone(void *arg) {
  (void)arg;
  // The main thread has exited: this one ends the process, with exit status 0.
  struct timespec ts = {0, 20 * 1000 * 1000};
  nanosleep(&ts, NULL);
  printf("the last thread ends the process after main's pthread_exit\n");
  fflush(stdout);
  return NULL;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  mutex_counter();
  producer_consumer();
  barrier_phases();
  rwlock_pairs();
  semaphores();
  once_and_keys();
  timed_wait();
  sleeping_threads();
  trylock_busy();
  pthread_t t;
  CHECK(pthread_create(&t, NULL, exiting, NULL));
  void *r;
  pthread_join(t, &r);
  printf("pthread_exit value: %ld\n", (long)r);
  printf("self is main: %d, equal ids: %d\n", pthread_equal(pthread_self(), pthread_self()), pthread_equal(t, pthread_self()));
  if (argc > 1 && strcmp(argv[1], "exit-main") == 0) {
    CHECK(pthread_create(&t, NULL, lone, NULL));
    pthread_exit(NULL);
  }
  return 0;
}
