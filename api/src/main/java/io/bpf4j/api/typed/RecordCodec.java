package io.bpf4j.api.typed;

import io.bpf4j.api.btf.Btf;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A record laid out as a C struct of its components: each at the next multiple of its codec's
 * alignment, the size rounded up to the largest alignment, padding zeroed on encode.
 */
final class RecordCodec<R extends Record> implements Codec<R>, Typed {
    /** One component: its name, codec, offset and accessor. */
    record Field(String name, Codec<Object> codec, int offset, MethodHandle getter) {
    }

    private final Class<R> type;
    private final List<Field> fields;
    private final MethodHandle constructor;
    private final int size;
    private final int alignment;

    @SuppressWarnings("unchecked")
    RecordCodec(Class<R> type, List<Codec<?>> codecs) {
        this.type = Objects.requireNonNull(type, "type");
        if (!type.isRecord()) throw new IllegalArgumentException("type: " + type.getName() + " is not a record");
        RecordComponent[] rc = type.getRecordComponents();
        if (rc.length == 0) throw new IllegalArgumentException("type: " + type.getName() + " has no components");
        if (rc.length != codecs.size()) {
            throw new IllegalArgumentException("components: " + codecs.size() + " codecs for the " + rc.length + " components of "
                    + type.getSimpleName());
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        List<Field> fs = new ArrayList<>(rc.length);
        Class<?>[] params = new Class<?>[rc.length];
        int off = 0;
        int align = 1;
        try {
            for (int i = 0; i < rc.length; i++) {
                Codec<Object> c = (Codec<Object>) Objects.requireNonNull(codecs.get(i), "components[" + i + "]");
                Class<?> want = box(rc[i].getType());
                Class<?> got = javaType(c);
                if (got != null && !want.isAssignableFrom(got)) {
                    throw new IllegalArgumentException("components: " + type.getSimpleName() + "." + rc[i].getName() + " is a "
                            + rc[i].getType().getSimpleName() + ", the codec " + c + " gives a " + got.getSimpleName());
                }
                int a = c.alignment();
                off = (off + a - 1) & -a;
                MethodHandle g = lookup.unreflect(rc[i].getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
                fs.add(new Field(rc[i].getName(), c, off, g));
                off += c.size();
                align = Math.max(align, a);
                params[i] = rc[i].getType();
            }
            MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, params));
            this.constructor = ctor.asType(ctor.type().generic()).asSpreader(Object[].class, rc.length);
        } catch (IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalArgumentException("type: " + type.getName() + " is not public, or its module does not export it"
                    + " (the codec reads its components and calls its constructor): " + e.getMessage(), e);
        }
        this.fields = List.copyOf(fs);
        this.alignment = align;
        this.size = (off + align - 1) & -align;
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) return c;
        return MethodType.methodType(c).wrap().returnType();
    }

    /** The Java type a built-in codec gives, or null when not known (a user's codec). */
    private static Class<?> javaType(Codec<?> c) {
        return c instanceof Typed t ? t.javaType() : null;
    }

    List<Field> fields() {
        return fields;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int alignment() {
        return alignment;
    }

    @Override
    public void encode(R v, byte[] d, int o) {
        Objects.requireNonNull(v, "value");
        java.util.Arrays.fill(d, o, o + size, (byte) 0);
        for (Field f : fields) {
            Object x;
            try {
                x = f.getter().invoke((Object) v);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (x == null) throw new IllegalArgumentException("value: " + type.getSimpleName() + "." + f.name() + " is null");
            f.codec().encode(x, d, o + f.offset());
        }
    }

    @Override
    public R decode(byte[] s, int o) {
        Object[] args = new Object[fields.size()];
        for (int i = 0; i < args.length; i++) {
            Field f = fields.get(i);
            args[i] = f.codec().decode(s, o + f.offset());
        }
        try {
            return type.cast(constructor.invoke(args));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void checkBtf(Btf btf, int typeId, String what) {
        BtfLayout.checkRecord(btf, typeId, what, this);
    }

    @Override
    public Class<?> javaType() {
        return type;
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }
}
