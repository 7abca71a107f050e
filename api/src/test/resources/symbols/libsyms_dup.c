/* The second static function named twin, for the ambiguity test. */
static __attribute__((noinline)) int twin(int x) { return x * 5; }
int call_twin_b(int x) { return twin(x); }
