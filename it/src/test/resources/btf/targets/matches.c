/*
 * A target for core_matches.o: each type made to match or not to match its local namesake in
 * exactly one way (see core_matches.c for the local types).
 */
struct m_inner {
	int b;
	long a;
	long c;
};

struct m_opaque;
union m_opaque2 {
	int z;
};

struct m_same { int a; char *p; };
struct m_subset { char *p; int a; };
struct m_missing { int a; };
struct m_int_size { long a; };
struct m_int_sign { int a; };
struct m_member_flavor { int a; };
struct m_anon_member { int y; union { int x; }; };
struct m_ptr_fwd { struct m_opaque *p; };
struct m_ptr_kind { union m_opaque2 *p; };
struct m_behind_ptr { struct m_inner *p; };
struct m_by_value { struct m_inner in; };
struct m_arr_len { int a[5]; };
struct m_arr_same { int a[4]; };
struct m_float { double d; };
struct m_nested_anon { struct { int r; int q; } s; };
struct m_order { long b; int a; };
union m_union { long b; int a; int c; };
enum m_e { M_B = 5, M_A = 6 };
enum m_e_missing { MM_A };
enum m_e_extra { ME_B, ME_A };
struct m_enum_member { enum m_e e; };
typedef int (*m_fn)(int, char);
typedef int (*m_fn_argc)(int);
typedef long (*m_fn_ret)(int);
typedef struct m_same m_td;

struct m_same g0;
struct m_subset g1;
struct m_missing g2;
struct m_int_size g3;
struct m_int_sign g4;
struct m_member_flavor g5;
struct m_anon_member g6;
struct m_ptr_fwd g7;
struct m_ptr_kind g8;
struct m_behind_ptr g9;
struct m_by_value g10;
struct m_arr_len g11;
struct m_arr_same g12;
struct m_float g13;
struct m_nested_anon g14;
struct m_order g15;
union m_union g16;
enum m_e g17;
enum m_e_missing g18;
enum m_e_extra g19;
struct m_enum_member g20;
m_fn g21;
m_fn_argc g22;
m_fn_ret g23;
m_td g24;
