// The FMA limit of one core, as docs/benchmarks.md quotes it: twelve independent AVX-512 FMA chains (more than the
// FMA latency times the pipes, so the loop is throughput-bound), best of 15 runs. Build and run:
//   gcc -O3 -mavx512f -mfma tools/perf/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
// Both vCPUs at once: taskset -c 0 /tmp/fma_peak & taskset -c 1 /tmp/fma_peak & wait
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){
  __m512 a[12]; __m512 m=_mm512_set1_ps(0.999999f), c=_mm512_set1_ps(1e-7f);
  for(int i=0;i<12;i++) a[i]=_mm512_set1_ps((float)i);
  double best=1e9; long n=20000000;
  for(int r=0;r<15;r++){ double t0=now();
    for(long k=0;k<n;k++){ for(int i=0;i<12;i++) a[i]=_mm512_fmadd_ps(a[i],m,c);} 
    double t=now()-t0; if(t<best)best=t;}
  float s=0; for(int i=0;i<12;i++) s+=_mm512_reduce_add_ps(a[i]);
  printf("best %.3f s: %.1f multiply-adds per ns (sum %g)\n",best, n*12.0*16/best/1e9, s);
}
