package io.bpf4j.api.typed;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfType;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The codecs: fixed-width numbers (little-endian, as the program's {@code __u32} and friends on
 * the little-endian machines eBPF runs on), byte arrays, IP addresses (network order, as the
 * kernel keeps them in {@code __be32}/{@code struct in6_addr}), LPM trie keys, and records laid
 * out field by field with C's alignment rules ({@link #record(Class, Codec...)}).
 *
 * <pre>{@code
 * record Flow(long saddr, long daddr, int sport, int dport) {}
 * Codec<Flow> flow = Codecs.record(Flow.class, Codecs.u32(), Codecs.u32(), Codecs.u16(), Codecs.u16());
 * TypedMap<Flow, Long> bytes = TypedMap.of(map, flow, Codecs.u64());
 * }</pre>
 */
public final class Codecs {
    private Codecs() {
    }

    private static final Codec<Integer> U8 = new Num<>("u8", 1, Integer.class) {
        @Override
        public void encode(Integer v, byte[] d, int o) {
            d[o] = (byte) range(v, 0, 0xff, this);
        }

        @Override
        public Integer decode(byte[] s, int o) {
            return s[o] & 0xff;
        }
    };
    private static final Codec<Integer> U16 = new Num<>("u16", 2, Integer.class) {
        @Override
        public void encode(Integer v, byte[] d, int o) {
            Bytes.putShort(d, o, (short) range(v, 0, 0xffff, this));
        }

        @Override
        public Integer decode(byte[] s, int o) {
            return Bytes.getShort(s, o) & 0xffff;
        }
    };
    private static final Codec<Long> U32 = new Num<>("u32", 4, Long.class) {
        @Override
        public void encode(Long v, byte[] d, int o) {
            Bytes.putInt(d, o, (int) range(v, 0, 0xffffffffL, this));
        }

        @Override
        public Long decode(byte[] s, int o) {
            return Bytes.getInt(s, o) & 0xffffffffL;
        }
    };
    private static final Codec<Long> U64 = new Num<>("u64", 8, Long.class) {
        @Override
        public void encode(Long v, byte[] d, int o) {
            Bytes.putLong(d, o, Objects.requireNonNull(v, "value"));
        }

        @Override
        public Long decode(byte[] s, int o) {
            return Bytes.getLong(s, o);
        }
    };
    private static final Codec<Byte> S8 = new Num<>("s8", 1, Byte.class) {
        @Override
        public void encode(Byte v, byte[] d, int o) {
            d[o] = Objects.requireNonNull(v, "value");
        }

        @Override
        public Byte decode(byte[] s, int o) {
            return s[o];
        }
    };
    private static final Codec<Short> S16 = new Num<>("s16", 2, Short.class) {
        @Override
        public void encode(Short v, byte[] d, int o) {
            Bytes.putShort(d, o, Objects.requireNonNull(v, "value"));
        }

        @Override
        public Short decode(byte[] s, int o) {
            return Bytes.getShort(s, o);
        }
    };
    private static final Codec<Integer> S32 = new Num<>("s32", 4, Integer.class) {
        @Override
        public void encode(Integer v, byte[] d, int o) {
            Bytes.putInt(d, o, Objects.requireNonNull(v, "value"));
        }

        @Override
        public Integer decode(byte[] s, int o) {
            return Bytes.getInt(s, o);
        }
    };
    private static final Codec<Long> S64 = new Num<>("s64", 8, Long.class) {
        @Override
        public void encode(Long v, byte[] d, int o) {
            Bytes.putLong(d, o, Objects.requireNonNull(v, "value"));
        }

        @Override
        public Long decode(byte[] s, int o) {
            return Bytes.getLong(s, o);
        }
    };
    private static final Codec<Float> F32 = new Num<>("f32", 4, Float.class) {
        @Override
        public void encode(Float v, byte[] d, int o) {
            Bytes.putInt(d, o, Float.floatToRawIntBits(Objects.requireNonNull(v, "value")));
        }

        @Override
        public Float decode(byte[] s, int o) {
            return Float.intBitsToFloat(Bytes.getInt(s, o));
        }

        @Override
        public void checkBtf(Btf btf, int typeId, String what) {
            floatType(btf, typeId, what, this);
        }
    };
    private static final Codec<Double> F64 = new Num<>("f64", 8, Double.class) {
        @Override
        public void encode(Double v, byte[] d, int o) {
            Bytes.putLong(d, o, Double.doubleToRawLongBits(Objects.requireNonNull(v, "value")));
        }

        @Override
        public Double decode(byte[] s, int o) {
            return Double.longBitsToDouble(Bytes.getLong(s, o));
        }

        @Override
        public void checkBtf(Btf btf, int typeId, String what) {
            floatType(btf, typeId, what, this);
        }
    };

    /**
     * {@code __u8} as an {@code Integer} 0..255.
     *
     * @return the codec
     */
    public static Codec<Integer> u8() {
        return U8;
    }

    /**
     * {@code __u16} as an {@code Integer} 0..65535.
     *
     * @return the codec
     */
    public static Codec<Integer> u16() {
        return U16;
    }

    /**
     * {@code __u32} as a {@code Long} 0..2<sup>32</sup>-1.
     *
     * @return the codec
     */
    public static Codec<Long> u32() {
        return U32;
    }

    /**
     * {@code __u64} as a {@code Long} holding its 64 bits (use {@link Long#toUnsignedString}
     * above {@link Long#MAX_VALUE}).
     *
     * @return the codec
     */
    public static Codec<Long> u64() {
        return U64;
    }

    /**
     * {@code __s8}.
     *
     * @return the codec
     */
    public static Codec<Byte> s8() {
        return S8;
    }

    /**
     * {@code __s16}.
     *
     * @return the codec
     */
    public static Codec<Short> s16() {
        return S16;
    }

    /**
     * {@code __s32}.
     *
     * @return the codec
     */
    public static Codec<Integer> s32() {
        return S32;
    }

    /**
     * {@code __s64}.
     *
     * @return the codec
     */
    public static Codec<Long> s64() {
        return S64;
    }

    /**
     * A {@code float}'s bit pattern.
     *
     * @return the codec
     */
    public static Codec<Float> f32() {
        return F32;
    }

    /**
     * A {@code double}'s bit pattern.
     *
     * @return the codec
     */
    public static Codec<Double> f64() {
        return F64;
    }

    /**
     * A fixed number of bytes ({@code char name[16]}, {@code __u8 mac[6]}), copied.
     *
     * @param size the length
     * @return the codec, which refuses arrays of another length
     */
    public static Codec<byte[]> bytes(int size) {
        if (size <= 0) throw new IllegalArgumentException("size: " + size + " is not positive");
        return new Raw(size);
    }

    /**
     * An IPv4 address as the kernel keeps it ({@code __be32}: network order in memory).
     *
     * @return the codec
     */
    public static Codec<Inet4Address> ipv4() {
        return new Address<>("ipv4", 4, 4);
    }

    /**
     * An IPv6 address as the kernel keeps it ({@code struct in6_addr}: 16 bytes, network order).
     *
     * @return the codec
     */
    public static Codec<Inet6Address> ipv6() {
        return new Address<>("ipv6", 16, 4);
    }

    /**
     * A key of a {@code LPM_TRIE}: {@code struct bpf_lpm_trie_key_u8} ({@code __u32 prefixlen}
     * then the data, {@code include/uapi/linux/bpf.h} of Linux 6.18), e.g.
     * {@code Codecs.lpm(Codecs.ipv4())} for an IPv4 prefix.
     *
     * @param data the data's codec; its size is the trie's data size
     * @param <T> the data's type
     * @return the codec
     */
    public static <T> Codec<LpmKey<T>> lpm(Codec<T> data) {
        return new LpmCodec<>(Objects.requireNonNull(data, "data"));
    }

    /**
     * A record laid out as the C struct with the components in order would be: each at the next
     * offset its codec's alignment allows, the size rounded up to the largest alignment. The
     * codecs give the sizes (a record's {@code long} component may be a {@code u32} in C).
     *
     * @param type the record class
     * @param components one codec per component, in declaration order; a component's Java type
     *     must be the codec's (boxed for primitives)
     * @param <R> the record type
     * @return the codec
     * @throws IllegalArgumentException when the counts or types disagree, naming the component
     */
    public static <R extends Record> Codec<R> record(Class<R> type, Codec<?>... components) {
        return new RecordCodec<>(type, List.of(components));
    }

    static long range(Number v, long min, long max, Object codec) {
        long x = Objects.requireNonNull(v, "value").longValue();
        if (x < min || x > max) throw new IllegalArgumentException("value: " + x + " does not fit " + codec);
        return x;
    }

    static void floatType(Btf btf, int typeId, String what, Codec<?> codec) {
        BtfLayout.checkSize(btf, typeId, codec.size(), what, codec);
        if (!(BtfLayout.resolve(btf, typeId) instanceof BtfType.Float)) {
            throw new IllegalArgumentException(what + ": the codec " + codec + " is a floating-point number, the map's BTF type "
                    + BtfLayout.describe(btf, typeId) + " is not");
        }
    }

    /** A number: its alignment is its size. */
    private abstract static class Num<T> implements Codec<T>, Typed {
        private final String name;
        private final int size;
        private final Class<T> type;

        Num(String name, int size, Class<T> type) {
            this.name = name;
            this.size = size;
            this.type = type;
        }

        @Override
        public final int size() {
            return size;
        }

        @Override
        public final int alignment() {
            return size;
        }

        @Override
        public String toString() {
            return name;
        }

        @Override
        public void checkBtf(Btf btf, int typeId, String what) {
            BtfLayout.checkSize(btf, typeId, size, what, this);
            BtfType t = BtfLayout.resolve(btf, typeId);
            if (!(t instanceof BtfType.Int || t instanceof BtfType.Enum || t instanceof BtfType.Enum64)) {
                throw new IllegalArgumentException(what + ": the codec " + name + " is an integer, the map's BTF type "
                        + BtfLayout.describe(btf, typeId) + " is not");
            }
        }

        @Override
        public Class<?> javaType() {
            return type;
        }
    }

    /** An IP address in network order. */
    private static final class Address<A extends InetAddress> implements Codec<A>, Typed {
        private final String name;
        private final int size;
        private final int align;

        Address(String name, int size, int align) {
            this.name = name;
            this.size = size;
            this.align = align;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int alignment() {
            return align;
        }

        @Override
        public void encode(A v, byte[] d, int o) {
            byte[] a = Objects.requireNonNull(v, "value").getAddress();
            if (a.length != size) throw new IllegalArgumentException("value: " + v + " is not an " + name + " address");
            System.arraycopy(a, 0, d, o, size);
        }

        @Override
        @SuppressWarnings("unchecked")
        public A decode(byte[] s, int o) {
            try {
                byte[] a = Arrays.copyOfRange(s, o, o + size);
                // Not InetAddress.getByAddress for 16 bytes: it turns ::ffff:a.b.c.d into an Inet4Address.
                return (A) (size == 16 ? Inet6Address.getByAddress(null, a, -1) : InetAddress.getByAddress(a));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // never: the length is right
            }
        }

        @Override
        public String toString() {
            return name;
        }

        @Override
        public Class<?> javaType() {
            return size == 4 ? Inet4Address.class : Inet6Address.class;
        }
    }

    /** A fixed number of bytes. */
    private static final class Raw implements Codec<byte[]>, Typed {
        private final int size;

        Raw(int size) {
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int alignment() {
            return 1;
        }

        @Override
        public void encode(byte[] v, byte[] d, int o) {
            Objects.requireNonNull(v, "value");
            if (v.length != size) throw new IllegalArgumentException("value: " + v.length + " bytes for bytes(" + size + ")");
            System.arraycopy(v, 0, d, o, size);
        }

        @Override
        public byte[] decode(byte[] s, int o) {
            return Arrays.copyOfRange(s, o, o + size);
        }

        @Override
        public Class<?> javaType() {
            return byte[].class;
        }

        @Override
        public String toString() {
            return "bytes(" + size + ")";
        }
    }
}
