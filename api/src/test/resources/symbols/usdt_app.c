/* A program with a USDT probe guarded by a semaphore. It waits for a line on stdin, then fires
 * bpf4j_app:tick once per loop turn for the count on that line, and prints how many turns found
 * the probe enabled (the kernel raises the semaphore while a uprobe holds it). */
#define _SDT_HAS_SEMAPHORES 1
#include <stdio.h>
#include <sys/sdt.h>

unsigned short bpf4j_app_tick_semaphore __attribute__((unused, section(".probes")));

__attribute__((noinline)) int bpf4j_app_work(int i) { return i * 7; }

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 2;
    int enabled = 0;
    long sum = 0;
    for (int i = 0; i < n; i++) {
        if (bpf4j_app_tick_semaphore) {
            enabled++;
            STAP_PROBE2(bpf4j_app, tick, i, 42);
        }
        sum += bpf4j_app_work(i);
    }
    printf("%d %ld\n", enabled, sum);
    return 0;
}
