package io.bpf4j.api.btf;

import java.util.List;
import java.util.Objects;

/**
 * One BTF type: an immutable value with its id, its name (empty when anonymous) and the fields of
 * its kind. Types refer to other types by id, resolved through the {@link Btf} they come from, so
 * a type graph with cycles (a struct holding a pointer to itself) is plain data, and two types are
 * equal when their ids and fields are.
 *
 * <p>Every field of the wire format is kept, so encoding a parsed type gives back its bytes.
 * Unsigned 32-bit fields (sizes, offsets, counts) are Java {@code int}s holding the same bits.
 */
public sealed interface BtfType {

    /**
     * The type's id in its {@link Btf}; in a {@link BtfBuilder} the id it was given.
     *
     * @return the id, 0 only for {@link Void}
     */
    int id();

    /**
     * The type's name.
     *
     * @return the name, empty when anonymous
     */
    String name();

    /**
     * The type's kind.
     *
     * @return the kind
     */
    BtfKind kind();

    /** A type with a size in bytes of its own. */
    sealed interface Sized extends BtfType permits Int, Composite, EnumType, Datasec, Float {
        /**
         * The size in bytes.
         *
         * @return the size (unsigned)
         */
        int size();
    }

    /** A type that refers to one other type. */
    sealed interface Typed extends BtfType permits Ptr, Typedef, Volatile, Const, Restrict, Func, Var, DeclTag, TypeTag {
        /**
         * The type referred to.
         *
         * @return its id; 0 is {@code void}
         */
        int typeId();
    }

    /** A struct or union. */
    sealed interface Composite extends Sized permits Struct, Union {
        /**
         * Whether member offsets carry bitfield sizes ({@code kind_flag}).
         *
         * @return the flag
         */
        boolean kindFlag();

        /**
         * The members, in order.
         *
         * @return the members
         */
        List<BtfMember> members();
    }

    /** An enum of 32-bit or 64-bit values. */
    sealed interface EnumType extends Sized permits Enum, Enum64 {
        /**
         * Whether the values are signed ({@code kind_flag}).
         *
         * @return the flag
         */
        boolean signed();

        /**
         * The enumerators, in order.
         *
         * @return the values
         */
        List<BtfEnumValue> values();
    }

    /** Type id 0: {@code void}, never encoded. */
    record Void() implements BtfType {
        @Override
        public int id() {
            return 0;
        }

        @Override
        public String name() {
            return "";
        }

        @Override
        public BtfKind kind() {
            return BtfKind.VOID;
        }
    }

    /**
     * {@code BTF_KIND_INT}.
     *
     * @param id the id
     * @param name the name, e.g. {@code unsigned int}
     * @param size the size in bytes
     * @param encoding {@link #SIGNED}, {@link #CHAR}, {@link #BOOL} or 0
     * @param bitOffset where the value starts in its storage, in bits (0 to 255; non-zero only for
     *     bitfields described by their type)
     * @param bits the number of bits (0 to 255)
     */
    record Int(int id, String name, int size, int encoding, int bitOffset, int bits) implements Sized {
        /** {@code BTF_INT_SIGNED}. */
        public static final int SIGNED = 1;
        /** {@code BTF_INT_CHAR}. */
        public static final int CHAR = 2;
        /** {@code BTF_INT_BOOL}. */
        public static final int BOOL = 4;

        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when a field does not fit its bits on the wire
         */
        public Int {
            Objects.requireNonNull(name, "name");
            if (encoding < 0 || encoding > 15) throw new IllegalArgumentException("encoding: " + encoding + " not in 0..15");
            if (bitOffset < 0 || bitOffset > 255) throw new IllegalArgumentException("bitOffset: " + bitOffset + " not in 0..255");
            if (bits < 0 || bits > 255) throw new IllegalArgumentException("bits: " + bits + " not in 0..255");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.INT;
        }

        /**
         * Whether the integer is signed.
         *
         * @return true with {@link #SIGNED}
         */
        public boolean signed() {
            return (encoding & SIGNED) != 0;
        }
    }

    /**
     * {@code BTF_KIND_PTR}.
     *
     * @param id the id
     * @param name the name (empty in valid BTF)
     * @param typeId the type pointed to
     */
    record Ptr(int id, String name, int typeId) implements Typed {
        /** Checks that the name is not null. */
        public Ptr {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.PTR;
        }
    }

    /**
     * {@code BTF_KIND_ARRAY}.
     *
     * @param id the id
     * @param name the name (empty in valid BTF)
     * @param elemTypeId the element type
     * @param indexTypeId the index type
     * @param length the number of elements (unsigned)
     */
    record Array(int id, String name, int elemTypeId, int indexTypeId, int length) implements BtfType {
        /** Checks that the name is not null. */
        public Array {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }
    }

    /**
     * {@code BTF_KIND_STRUCT}.
     *
     * @param id the id
     * @param name the name, empty when anonymous
     * @param size the size in bytes
     * @param kindFlag whether member offsets carry bitfield sizes
     * @param members the members
     */
    record Struct(int id, String name, int size, boolean kindFlag, List<BtfMember> members) implements Composite {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when there are more than 65535 members, or a member
         *     does not fit the encoding {@code kindFlag} chooses
         */
        public Struct {
            Objects.requireNonNull(name, "name");
            members = Checks.members(members, kindFlag);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.STRUCT;
        }
    }

    /**
     * {@code BTF_KIND_UNION}.
     *
     * @param id the id
     * @param name the name, empty when anonymous
     * @param size the size in bytes
     * @param kindFlag whether member offsets carry bitfield sizes
     * @param members the members
     */
    record Union(int id, String name, int size, boolean kindFlag, List<BtfMember> members) implements Composite {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when there are more than 65535 members, or a member
         *     does not fit the encoding {@code kindFlag} chooses
         */
        public Union {
            Objects.requireNonNull(name, "name");
            members = Checks.members(members, kindFlag);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.UNION;
        }
    }

    /**
     * {@code BTF_KIND_ENUM}: 32-bit values.
     *
     * @param id the id
     * @param name the name, empty when anonymous
     * @param size the size in bytes (1, 2, 4 or 8)
     * @param signed whether the values are signed ({@code kind_flag}, Linux 6.0+)
     * @param values the enumerators; each fits 32 bits, signed or unsigned as {@code signed} says
     */
    record Enum(int id, String name, int size, boolean signed, List<BtfEnumValue> values) implements EnumType {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when there are more than 65535 values or one does not fit 32 bits
         */
        public Enum {
            Objects.requireNonNull(name, "name");
            values = Checks.vlen(values, "values");
            for (BtfEnumValue v : values) {
                long min = signed ? Integer.MIN_VALUE : 0;
                long max = signed ? Integer.MAX_VALUE : 0xffff_ffffL;
                if (v.value() < min || v.value() > max) {
                    throw new IllegalArgumentException("values: " + v.name() + " = " + v.value() + " does not fit a "
                            + (signed ? "signed" : "unsigned") + " 32-bit enum");
                }
            }
        }

        @Override
        public BtfKind kind() {
            return BtfKind.ENUM;
        }
    }

    /**
     * {@code BTF_KIND_ENUM64}: 64-bit values (Linux 6.0+).
     *
     * @param id the id
     * @param name the name, empty when anonymous
     * @param size the size in bytes
     * @param signed whether the values are signed ({@code kind_flag})
     * @param values the enumerators
     */
    record Enum64(int id, String name, int size, boolean signed, List<BtfEnumValue> values) implements EnumType {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when there are more than 65535 values
         */
        public Enum64 {
            Objects.requireNonNull(name, "name");
            values = Checks.vlen(values, "values");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.ENUM64;
        }
    }

    /**
     * {@code BTF_KIND_FWD}: a struct or union declared but not defined here.
     *
     * @param id the id
     * @param name the name
     * @param union true for a union, false for a struct ({@code kind_flag})
     */
    record Fwd(int id, String name, boolean union) implements BtfType {
        /** Checks that the name is not null. */
        public Fwd {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    /**
     * {@code BTF_KIND_TYPEDEF}.
     *
     * @param id the id
     * @param name the name
     * @param typeId the type named
     */
    record Typedef(int id, String name, int typeId) implements Typed {
        /** Checks that the name is not null. */
        public Typedef {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    /**
     * {@code BTF_KIND_VOLATILE}.
     *
     * @param id the id
     * @param name the name (empty in valid BTF)
     * @param typeId the qualified type
     */
    record Volatile(int id, String name, int typeId) implements Typed {
        /** Checks that the name is not null. */
        public Volatile {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }
    }

    /**
     * {@code BTF_KIND_CONST}.
     *
     * @param id the id
     * @param name the name (empty in valid BTF)
     * @param typeId the qualified type
     */
    record Const(int id, String name, int typeId) implements Typed {
        /** Checks that the name is not null. */
        public Const {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.CONST;
        }
    }

    /**
     * {@code BTF_KIND_RESTRICT}.
     *
     * @param id the id
     * @param name the name (empty in valid BTF)
     * @param typeId the qualified type
     */
    record Restrict(int id, String name, int typeId) implements Typed {
        /** Checks that the name is not null. */
        public Restrict {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }
    }

    /**
     * {@code BTF_KIND_FUNC}; the linkage is in {@code vlen}.
     *
     * @param id the id
     * @param name the function's name
     * @param typeId its {@link FuncProto}
     * @param linkage static, global or extern
     */
    record Func(int id, String name, int typeId, BtfLinkage linkage) implements Typed {
        /** Checks that the name and linkage are not null. */
        public Func {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(linkage, "linkage");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /**
     * {@code BTF_KIND_FUNC_PROTO}.
     *
     * @param id the id
     * @param name the name (empty in valid BTF)
     * @param returnTypeId the return type; 0 is {@code void}
     * @param params the parameters; a last one with no name and type 0 marks {@code ...}
     */
    record FuncProto(int id, String name, int returnTypeId, List<BtfParam> params) implements BtfType {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when there are more than 65535 parameters
         */
        public FuncProto {
            Objects.requireNonNull(name, "name");
            params = Checks.vlen(params, "params");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        /**
         * Whether the function takes {@code ...}.
         *
         * @return true when the last parameter is the variadic marker
         */
        public boolean variadic() {
            return !params.isEmpty() && params.get(params.size() - 1).isVariadic();
        }
    }

    /**
     * {@code BTF_KIND_VAR}.
     *
     * @param id the id
     * @param name the variable's name
     * @param typeId its type
     * @param linkage static, global (allocated here) or extern
     */
    record Var(int id, String name, int typeId, BtfLinkage linkage) implements Typed {
        /** Checks that the name and linkage are not null. */
        public Var {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(linkage, "linkage");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /**
     * {@code BTF_KIND_DATASEC}.
     *
     * @param id the id
     * @param name the section's name, e.g. {@code .data}
     * @param size the section's size in bytes
     * @param vars the variables in it
     */
    record Datasec(int id, String name, int size, List<BtfVarSecinfo> vars) implements Sized {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when there are more than 65535 variables
         */
        public Datasec {
            Objects.requireNonNull(name, "name");
            vars = Checks.vlen(vars, "vars");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    /**
     * {@code BTF_KIND_FLOAT}.
     *
     * @param id the id
     * @param name the name, e.g. {@code double}
     * @param size the size in bytes
     */
    record Float(int id, String name, int size) implements Sized {
        /** Checks that the name is not null. */
        public Float {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /**
     * {@code BTF_KIND_DECL_TAG}: {@code __attribute__((btf_decl_tag("name")))} on a type, variable
     * or function, or on one member or parameter of it.
     *
     * @param id the id
     * @param name the tag's text
     * @param typeId what is tagged
     * @param componentIdx -1 for the whole declaration, else the member or parameter index
     * @param attribute whether the tag is a plain {@code __attribute__((name))} rather than a
     *     {@code btf_decl_tag} ({@code kind_flag}, Linux 6.14+)
     */
    record DeclTag(int id, String name, int typeId, int componentIdx, boolean attribute) implements Typed {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when the component index is below -1
         */
        public DeclTag {
            Objects.requireNonNull(name, "name");
            if (componentIdx < -1) throw new IllegalArgumentException("componentIdx: " + componentIdx + " < -1");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }

    /**
     * {@code BTF_KIND_TYPE_TAG}: {@code __attribute__((btf_type_tag("name")))}, placed between a
     * pointer and the type it points to.
     *
     * @param id the id
     * @param name the tag's text
     * @param typeId the tagged type
     * @param attribute whether the tag is a plain {@code __attribute__((name))} rather than a
     *     {@code btf_type_tag} ({@code kind_flag}, Linux 6.14+)
     */
    record TypeTag(int id, String name, int typeId, boolean attribute) implements Typed {
        /** Checks that the name is not null. */
        public TypeTag {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }
}
