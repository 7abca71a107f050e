/*
 * A target for core_fields.o where libbpf gives up: a bitfield that no 64-bit load can read
 * (packed, it straddles an 8-byte boundary), fields beyond the 32 KiB a load's offset can reach,
 * and a local flexible array that is a fixed one here.
 */
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

struct core_ctx {
	u64 pad : 7;
	u64 x : 60;
	u32 a;
} __attribute__((packed));

struct core_inner {
	u32 c;
	u32 d;
};

struct core_arrays {
	char pad[40000];
	u32 m[2][3];
	struct core_inner items[3];
	u32 count;
	u32 tail[4];
};

struct core_sizes {
	char pad[33000];
	u16 plain;
	u32 bits : 7;
};

struct core_ctx g_ctx;
struct core_arrays g_arrays;
struct core_sizes g_sizes;
