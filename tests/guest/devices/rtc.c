// Goldfish RTC: the time is the board's epoch plus guest time, it moves
// forward with guest time, and the guest can set it.
#include "board.h"
#include "rt.h"

static uint64_t rtc_now(void) {
  uint64_t lo = RTC[0];  // reading TIME_LOW latches TIME_HIGH
  uint64_t hi = RTC[1];
  return (hi << 32) | lo;
}

int main(void) {
  uint64_t a = rtc_now();
  for (volatile int i = 0; i < 100000; i++) {
  }
  uint64_t b = rtc_now();
  check(b > a, "time moves forward", 1);
  check(b - a < 100000000ull, "by guest time, not host time", 2);
  rt_puts("seconds ");
  rt_put_u64(a / 1000000000ull);
  rt_puts("\n");
  // Set it to 2000-01-01T00:00:00Z as Linux does: TIME_HIGH, then TIME_LOW.
  uint64_t y2k = 946684800ull * 1000000000ull;
  RTC[1] = (uint32_t)(y2k >> 32);
  RTC[0] = (uint32_t)y2k;
  uint64_t c = rtc_now();
  check(c >= y2k && c - y2k < 1000000000ull, "time set by the guest", 3);
  rt_puts("set ");
  rt_put_u64(c / 1000000000ull);
  rt_puts("\nrtc ok\n");
  poweroff(0);
}
