// Sv48 virtual memory (privileged spec, section 4.5 "Sv48: Page-Based
// 48-bit Virtual-Memory System"): four-level tables. Besides the checks
// shared with sv39.S (see vm.h), addresses that need bits 39..47 and a
// 512 GiB terapage.
#define VM_LEVELS 4
#define VM_SATP_MODE 9
#define VM_NAME "sv48"
#include "vm.h"
