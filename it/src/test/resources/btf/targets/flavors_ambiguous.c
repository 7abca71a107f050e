/*
 * A target for core_flavors.o in which a local type has two candidates that disagree: core_flav
 * and core_flav___v2 put a and b at different offsets, and two enums core_e give CE_B different
 * values.
 */
struct core_flav {
	int a;
	int b;
};

struct core_flav___v2 {
	int pad;
	int a;
	int b;
};

enum core_e { CE_A = 1, CE_B = 2 };
enum core_e___v2 { CE_A___v2 = 1, CE_B___v2 = 3 };

struct core_narrow {
	int shared;
	int only_new;
};

struct core_flav g_flav;
struct core_flav___v2 g_flav2;
enum core_e g_e;
enum core_e___v2 g_e2;
struct core_narrow g_narrow;
