/*
 * A target for core_flavors.o: types renamed with flavors, names that only look like flavors, two
 * candidates that later relocations must choose between, enumerators renamed, renumbered and
 * negative, and fields whose types are compatible with the local ones or not.
 */
struct core_flav___v1 {
	long pad;
	int b;
	int a;
};

struct core_narrow {
	int shared;
};

struct core_narrow___v2 {
	int pad;
	int shared;
	int only_new;
};

struct core_nm {
	int a;
};

struct core_nm____x {
	int pad;
	int a;
};

struct core_aa {
	int a;
};

struct core_aa___b {
	int a;
};

struct core_aa___b___z {
	int pad[2];
	int a;
};

struct core_trail {
	int a;
};

struct core_trail___ {
	int pad[3];
	int a;
};

enum core_e { CE_NEG = -7, CE_B = 20, CE_C = 30, CE_A = 10 };

typedef struct {
	int b;
	int a;
} core_td_t;

union core_un {
	long b;
	int a;
};

struct core_kinds {
	int e;
	enum core_e i;
	struct core_flav___v1 *p;
	union {
		int a;
	} s;
	int l;
	int arr[2];
	struct {
		long pad;
		long b;
	} u;
};

typedef int core_long_t;

struct core_flav___v1 g_flav;
struct core_narrow g_narrow;
struct core_narrow___v2 g_narrow2;
struct core_nm g_nm;
struct core_nm____x g_nm2;
struct core_aa g_aa;
struct core_aa___b g_aa2;
struct core_aa___b___z g_aa3;
struct core_trail g_trail;
struct core_trail___ g_trail2;
enum core_e g_e;
core_td_t g_td;
union core_un g_un;
struct core_kinds g_kinds;
core_long_t g_long;
