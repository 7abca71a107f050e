/* A shared library for the symbol tests: a plain function, two versions of one name, a
 * variable, an indirect function, and (with libsyms_dup.c) two static functions of one name. */
__attribute__((noinline)) int bpf4j_probe_me(int x) { return 2 * x + 1; }

__attribute__((noinline)) int vers_old(int x) { return x; }
__attribute__((noinline)) int vers_new(int x) { return x + 1; }
__asm__(".symver vers_old,vers@V1");
__asm__(".symver vers_new,vers@@V2");

int bpf4j_variable = 5;

static int pick_one(int x) { return x; }
static void *pick_resolver(void) { return (void *) pick_one; }
int bpf4j_picked(int x) __attribute__((ifunc("pick_resolver")));

static __attribute__((noinline)) int twin(int x) { return x * 3; }
int call_twin_a(int x) { return twin(x); }
