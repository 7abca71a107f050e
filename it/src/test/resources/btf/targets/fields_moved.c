/*
 * A target for core_fields.o: its types as another build lays them out. Moved, resized, retyped,
 * reordered anonymous members, arrays of other shapes, bitfields that became plain fields and
 * plain fields that became bitfields, unsigned fields that became signed, a field that is gone.
 * Only the BTF of the compiled object is used (clang -target bpf -g), so every type is given a
 * variable to be emitted.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;

struct core_inner {
	u32 pad;
	u32 d;
	u32 c;
};

enum core_mode { CORE_MODE_B = 7, CORE_MODE_A = 9 };

struct core_ctx {
	u64 b;
	u32 a;
	u16 half : 9;
	short x : 4;
	struct core_inner in;
	u32 arr[2];
	s32 y;
	u32 gone;
};

struct core_anon {
	union {
		u64 u_b;
		u32 u_a;
	};
	int first;
	struct {
		struct {
			u32 deep;
		};
		u32 s_a;
	};
};

struct core_arrays {
	u32 count;
	struct core_inner items[4];
	u32 m[3][2];
	u32 tail[];
};

enum __attribute__((packed)) core_small_mode { CORE_SMALL = 1 };

struct core_sizes {
	long sgn;
	enum core_small_mode mode;
	u32 small;
	u32 big;
	void *ptr;
	struct core_inner *inner_ptr;
	char name[4];
	u16 plain : 12;
	long long bits : 40;
};

struct core_ctx g_ctx;
struct core_anon g_anon;
struct core_arrays g_arrays;
struct core_sizes g_sizes;
enum core_mode g_mode;
