// float: floating-point work, mostly double precision. Each iteration runs
//   1. an n-body simulation step loop (a made-up system of one heavy body and
//      four light ones: double add/mul/div/sqrt, explicit fused multiply-add
//      in the integrator),
//   2. a dense double matrix multiply whose dot products use fma,
//   3. a single-precision 2-D Jacobi stencil with a float sqrt and
//      float<->double and float<->int conversions,
// and folds the bit patterns of the results into a 64-bit checksum.
//
// Only IEEE-exact operations are used (+ - * / sqrt, fma, conversions), and
// the builds pass -ffp-contract=off, so the results are bit-identical on the
// host and on RISC-V. fma() is called explicitly (fmadd.d on RV64GC, libm's
// fma on the host: single rounding on both).
#include "bench.h"

#ifndef ITERS
#define ITERS 200
#endif

#define NBODY_STEPS 2000u
#define MAT_N 24u
#define GRID 40u
#define STENCIL_SWEEPS 6u

static inline double f64_sqrt(double x) { return __builtin_sqrt(x); }
static inline float f32_sqrt(float x) { return __builtin_sqrtf(x); }
static inline double f64_fma(double a, double b, double c) { return __builtin_fma(a, b, c); }

static inline uint64_t f64_bits(double d) {
  union {
    double d;
    uint64_t u;
  } v;
  v.d = d;
  return v.u;
}

static inline uint32_t f32_bits(float f) {
  union {
    float f;
    uint32_t u;
  } v;
  v.f = f;
  return v.u;
}

// ---------------------------------------------------------------- n-body ---

#define BODIES 5

typedef struct {
  double x, y, z, vx, vy, vz, m;
} body;

static body bodies[BODIES];

static void nbody_init(uint32_t it) {
  // A heavy central body and four bodies on roughly circular orbits (G = 1).
  static const double r[BODIES] = {0.0, 1.0, 1.7, 2.9, 4.3};
  static const double m[BODIES] = {1000.0, 0.4, 0.9, 0.25, 1.3};
  for (uint32_t i = 0; i < BODIES; i++) {
    double phase = (double)((i * 7 + it) % 13) / 13.0;
    double rr = r[i] * (1.0 + (double)(it % 5) * 0.01);
    // Place on a tilted ring without trig: a fixed rational parametrisation.
    double t = phase * 2.0 - 1.0;
    double den = 1.0 + t * t;
    double cx = (1.0 - t * t) / den, cy = 2.0 * t / den;
    body *b = &bodies[i];
    b->x = rr * cx;
    b->y = rr * cy;
    b->z = rr * 0.05 * cy;
    double v = i == 0 ? 0.0 : f64_sqrt(1000.0 / rr);
    b->vx = -v * cy;
    b->vy = v * cx;
    b->vz = 0.01 * v;
    b->m = m[i];
  }
  // Zero the total momentum so the system stays put.
  double px = 0, py = 0, pz = 0;
  for (uint32_t i = 1; i < BODIES; i++) {
    px += bodies[i].vx * bodies[i].m;
    py += bodies[i].vy * bodies[i].m;
    pz += bodies[i].vz * bodies[i].m;
  }
  bodies[0].vx = -px / bodies[0].m;
  bodies[0].vy = -py / bodies[0].m;
  bodies[0].vz = -pz / bodies[0].m;
}

static void nbody_advance(double dt, uint32_t steps) {
  for (uint32_t s = 0; s < steps; s++) {
    for (uint32_t i = 0; i < BODIES; i++) {
      body *a = &bodies[i];
      for (uint32_t j = i + 1; j < BODIES; j++) {
        body *b = &bodies[j];
        double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
        double d2 = dx * dx + dy * dy + dz * dz + 1e-9;
        double dist = f64_sqrt(d2);
        double mag = dt / (d2 * dist);
        double ma = a->m * mag, mb = b->m * mag;
        a->vx -= dx * mb;
        a->vy -= dy * mb;
        a->vz -= dz * mb;
        b->vx += dx * ma;
        b->vy += dy * ma;
        b->vz += dz * ma;
      }
    }
    for (uint32_t i = 0; i < BODIES; i++) {
      body *b = &bodies[i];
      b->x = f64_fma(dt, b->vx, b->x);
      b->y = f64_fma(dt, b->vy, b->y);
      b->z = f64_fma(dt, b->vz, b->z);
    }
  }
}

static double nbody_energy(void) {
  double e = 0.0;
  for (uint32_t i = 0; i < BODIES; i++) {
    body *a = &bodies[i];
    e += 0.5 * a->m * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
    for (uint32_t j = i + 1; j < BODIES; j++) {
      body *b = &bodies[j];
      double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      e -= a->m * b->m / f64_sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

// ---------------------------------------------------------------- matrix ---

static double ma[MAT_N * MAT_N], mb[MAT_N * MAT_N], mc[MAT_N * MAT_N];

static uint64_t matrix(bench_rng *rng) {
  for (uint32_t i = 0; i < MAT_N * MAT_N; i++) {
    uint64_t r = bench_next(rng);
    // Values in (-1, 1) with a full 53-bit mantissa; int64 -> double conversion.
    ma[i] = (double)(int64_t)(r >> 11) * (1.0 / 4503599627370496.0) - 1.0;
    mb[i] = (double)(uint32_t)(r >> 3) * (1.0 / 4294967296.0) - 0.5;
  }
  for (uint32_t i = 0; i < MAT_N; i++)
    for (uint32_t j = 0; j < MAT_N; j++) {
      double s = 0.0;
      for (uint32_t k = 0; k < MAT_N; k++) s = f64_fma(ma[i * MAT_N + k], mb[k * MAT_N + j], s);
      mc[i * MAT_N + j] = s;
    }
  // Row norms with division, plus a double -> int64 conversion.
  uint64_t h = 0;
  double trace = 0.0;
  for (uint32_t i = 0; i < MAT_N; i++) {
    double n2 = 0.0;
    for (uint32_t j = 0; j < MAT_N; j++) n2 += mc[i * MAT_N + j] * mc[i * MAT_N + j];
    double inv = 1.0 / f64_sqrt(n2 + 1.0);
    trace += mc[i * MAT_N + i] * inv;
    h = bench_fold(h, f64_bits(n2));
    h = bench_fold(h, (uint64_t)(int64_t)(mc[i * MAT_N + (i * 5) % MAT_N] * 1e12));
  }
  return bench_fold(h, f64_bits(trace));
}

// --------------------------------------------------------------- stencil ---

static float grid_a[GRID * GRID], grid_b[GRID * GRID];

static uint64_t stencil(uint32_t it) {
  for (uint32_t y = 0; y < GRID; y++)
    for (uint32_t x = 0; x < GRID; x++) {
      float v = (float)((x * 13u + y * 7u + it) % 29u) * 0.125f;
      if (x == 0 || y == 0 || x == GRID - 1 || y == GRID - 1) v = 4.0f + (float)(it % 3);
      grid_a[y * GRID + x] = v;
      grid_b[y * GRID + x] = v;
    }
  float *cur = grid_a, *nxt = grid_b;
  for (uint32_t s = 0; s < STENCIL_SWEEPS; s++) {
    for (uint32_t y = 1; y < GRID - 1; y++)
      for (uint32_t x = 1; x < GRID - 1; x++) {
        const float *c = &cur[y * GRID + x];
        float avg = 0.25f * (c[-1] + c[1] + c[-(int)GRID] + c[GRID]);
        float d = avg - c[0];
        // A nonlinear damping term with float sqrt and division.
        nxt[y * GRID + x] = avg + d / (1.0f + f32_sqrt(d * d + 0.5f));
      }
    float *t = cur;
    cur = nxt;
    nxt = t;
  }
  uint64_t h = 0;
  double total = 0.0;
  int32_t quant = 0;
  for (uint32_t i = 0; i < GRID * GRID; i++) {
    total += (double)cur[i];  // float -> double
    quant += (int32_t)(cur[i] * 100.0f);  // float -> int (truncation)
    if ((i & 31) == 0) h = bench_fold(h, f32_bits(cur[i]));
  }
  h = bench_fold(h, f64_bits(total));
  return bench_fold(h, (uint64_t)(uint32_t)quant);
}

int main(void) {
  bench_rng rng = {0x0123456789abcdefULL};
  uint64_t sum = 0;
  for (uint32_t it = 0; it < ITERS; it++) {
    nbody_init(it);
    double e0 = nbody_energy();
    nbody_advance(0.0005, NBODY_STEPS);
    double e1 = nbody_energy();
    sum = bench_fold(sum, f64_bits(e0));
    sum = bench_fold(sum, f64_bits(e1));
    for (uint32_t i = 0; i < BODIES; i++) sum = bench_fold(sum, f64_bits(bodies[i].x) ^ f64_bits(bodies[i].vy));
    sum = bench_fold(sum, matrix(&rng));
    sum = bench_fold(sum, stencil(it));
  }
  // Reference checksums for the small and full variants (bench/workloads/workloads.txt).
  static const bench_expect expect[] = {
      {10, 0xfeac736c6324fea6ULL},
      {200, 0x0bac973a9c97e92eULL},
  };
  return bench_report("float", ITERS, sum, expect, BENCH_COUNT(expect));
}
