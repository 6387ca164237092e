// Two threads take two mutexes in opposite orders, and wait for each other
// for ever. Not for qemu (it would hang): edgevm must end the run with a
// fault that says every thread is blocked.
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *other(void *arg) {
  (void)arg;
  pthread_mutex_lock(&b);
  pthread_barrier_wait(&both_hold_one);
  pthread_mutex_lock(&a);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_barrier_init(&both_hold_one, NULL, 2);
  pthread_create(&t, NULL, other, NULL);
  pthread_mutex_lock(&a);
  pthread_barrier_wait(&both_hold_one);
  printf("both threads hold one lock and want the other\n");
  fflush(stdout);
  pthread_mutex_lock(&b);
  pthread_join(t, NULL);
  printf("unreachable\n");
  return 0;
}
