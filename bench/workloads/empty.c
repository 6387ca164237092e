// empty: returns at once. bench/run.mjs times it under QEMU (and natively) to
// subtract process start-up and machine boot from the other workloads' times.
#include "bench.h"

int main(void) { return 0; }
