/* Quicksort and binary search over globals in .data, .sdata and .bss. */
#include "lib.h"

int data[] = {93, 4, 71, -8, 0, 56, 12, 12, 999, -300, 7, 64, 5, 18, 44, 3};
long nsorted;
static int scratch[64];
int small = 3;

static void swap(int *a, int *b) { int t = *a; *a = *b; *b = t; }

static void quicksort(int *v, int lo, int hi) {
  if (lo >= hi) return;
  int p = v[(lo + hi) / 2], i = lo, j = hi;
  while (i <= j) {
    while (v[i] < p) i++;
    while (v[j] > p) j--;
    if (i <= j) swap(&v[i++], &v[j--]);
  }
  quicksort(v, lo, j);
  quicksort(v, i, hi);
}

static int find(const int *v, int n, int key) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (v[mid] == key) return mid;
    if (v[mid] < key) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

int main(void) {
  int n = sizeof data / sizeof data[0];
  for (int i = 0; i < n; i++) scratch[i] = data[i] * small;
  quicksort(scratch, 0, n - 1);
  for (int i = 0; i < n; i++) put_int(scratch[i]);
  nsorted = n;
  put_int(find(scratch, n, 56 * 3));
  put_int(find(scratch, n, 1));
  return 0;
}
