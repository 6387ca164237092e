// Sv39 virtual memory (privileged spec, section 4.4 "Sv39: Page-Based
// 39-bit Virtual-Memory System"): three-level tables, 4 KiB pages, 2 MiB
// megapages and 1 GiB gigapages. The checks are shared with sv48.S; see
// vm.h for the list.
#define VM_LEVELS 3
#define VM_SATP_MODE 8
#define VM_NAME "sv39"
#include "vm.h"
