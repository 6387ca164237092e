/* Matrix multiply with doubles and integer checksums. */
#include "lib.h"

#define N 6
double a[N][N], b[N][N], c[N][N];
const double scale = 0.25;

int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = i + j * 0.5;
      b[i][j] = (i == j) ? 2.0 : 1.0 / (1 + i + j);
    }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
      c[i][j] = s * scale;
    }
  long check = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) check += (long)(c[i][j] * 1000.0);
  put_int(check);
  return 0;
}
