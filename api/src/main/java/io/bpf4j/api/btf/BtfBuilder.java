package io.bpf4j.api.btf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds BTF and encodes it in the kernel's wire format: a 24-byte {@code struct btf_header}, the
 * type section right after it, the string section right after that, each 32-bit word in the
 * chosen byte order (little-endian unless asked otherwise). Strings are stored once each.
 *
 * <p>Types are numbered in the order they are added, from 1 (or, on a base, from the base's
 * {@link Btf#typeCount()}); a type refers to others by those ids, which must exist when the BTF is
 * encoded. The id inside a type given to {@link #add(BtfType)} is ignored.
 *
 * <p><b>Editing parsed BTF.</b> {@link #from(Btf)} starts from a parsed blob's types and keeps its
 * string section as it was, byte for byte, adding new strings after it. So encoding a parsed
 * blob unchanged gives back its bytes exactly when the blob is laid out as the kernel and
 * libbpf write it: a 24-byte header, the type section at offset 0 of the data, the string section
 * right after it, and no string stored twice. This kernel's vmlinux BTF is laid out so. A blob
 * laid out otherwise is re-encoded into that layout; its types stay equal. Building BTF from
 * scratch instead ({@link #BtfBuilder()}) writes strings in the order types use them, so a
 * rebuilt vmlinux differs in its string section: pahole leaves strings there that no type uses
 * and does not order them by first use.
 *
 * {@snippet :
 * BtfBuilder b = new BtfBuilder();
 * int u32 = b.addInt("unsigned int", 4, 0);
 * int point = b.addStruct("point", 8, List.of(new BtfMember("x", u32, 0, 0), new BtfMember("y", u32, 32, 0)));
 * byte[] blob = b.marshal();              // ready for BpfBtf.load(bpf, blob)
 * }
 *
 * <p>Not thread-safe.
 */
public final class BtfBuilder {
    private final Btf base;
    private final int firstId;
    private final List<BtfType> types = new ArrayList<>();
    private final StringTable strings;
    /**
     * The blob {@link #from(Btf)} started from, while its types are still undecoded; null once
     * {@link #types} holds them. Loading an object's BTF only rewrites a few DATASECs in place,
     * and decoding every type to encode it again took as long as the rest of the load's Java work.
     */
    private Btf source;
    /** The types replaced while {@link #source} is set, by id. */
    private Map<Integer, BtfType> replaced;

    /** Starts new base BTF, with no types and only the empty string. */
    public BtfBuilder() {
        this(null, StringTable.empty());
    }

    private BtfBuilder(Btf base, StringTable strings) {
        this.base = base;
        this.firstId = base == null ? 1 : base.typeCount();
        this.strings = strings;
    }

    /**
     * Starts split BTF on a base, as a module's is on vmlinux: ids continue the base's, and a
     * name the base has refers to the base's string.
     *
     * @param base the base
     * @return the builder
     */
    public static BtfBuilder split(Btf base) {
        Objects.requireNonNull(base, "base");
        return new BtfBuilder(base, StringTable.none());
    }

    /**
     * Starts from a parsed blob: its own types (split BTF keeps its base) and its string section
     * byte for byte.
     *
     * @param btf the parsed BTF
     * @return the builder, holding every type of the blob
     */
    public static BtfBuilder from(Btf btf) {
        Objects.requireNonNull(btf, "btf");
        BtfBuilder b = new BtfBuilder(btf.base, StringTable.seeded(btf.ownStrings()));
        // Decoded when first needed: the parser has checked every record, so decoding cannot fail later.
        b.source = btf;
        b.replaced = new HashMap<>();
        return b;
    }

    /**
     * The base of split BTF.
     *
     * @return the base, or null for base BTF
     */
    public Btf base() {
        return base;
    }

    /**
     * The id the first type added here has.
     *
     * @return 1, or the base's type count
     */
    public int firstId() {
        return firstId;
    }

    /**
     * The id the next type added will get.
     *
     * @return the next id
     */
    public int nextId() {
        return source != null ? source.typeCount() : firstId + types.size();
    }

    /** The types, decoded from {@link #source} first if they are not yet. */
    private List<BtfType> list() {
        if (source != null) {
            Btf s = source;
            source = null;
            for (int id = s.firstId; id < s.typeCount(); id++) {
                BtfType r = replaced.get(id);
                types.add(r != null ? r : s.type(id));
            }
            replaced = null;
        }
        return types;
    }

    /**
     * The types added here, in id order.
     *
     * @return an unmodifiable view
     */
    public List<BtfType> types() {
        return Collections.unmodifiableList(list());
    }

    /**
     * A type by id: one added here, or the base's.
     *
     * @param id the id
     * @return the type
     * @throws IllegalArgumentException when there is no such id
     */
    public BtfType type(int id) {
        if (id >= firstId && id < nextId()) {
            if (source == null) return types.get(id - firstId);
            BtfType r = replaced.get(id);
            return r != null ? r : source.type(id);
        }
        if (id == 0) return TypeDecoder.VOID;
        if (base != null && id > 0 && id < firstId) return base.type(id);
        throw new IllegalArgumentException("id: " + id + " is not a type id (0 to " + (nextId() - 1) + ")");
    }

    /**
     * Adds a type as the next id.
     *
     * @param type the type; its own id is ignored
     * @return the id it got
     * @throws IllegalArgumentException for {@link BtfType.Void}, which is never added
     */
    public int add(BtfType type) {
        Objects.requireNonNull(type, "type");
        if (type instanceof BtfType.Void) throw new IllegalArgumentException("type: void is id 0 and never added");
        int id = nextId();
        if (id > BtfParser.MAX_TYPE) throw new IllegalStateException("more than " + BtfParser.MAX_TYPE + " types");
        list().add(withId(type, id));
        return id;
    }

    /**
     * Replaces a type added here, keeping its id.
     *
     * @param id the id
     * @param type the new type; its own id is ignored
     */
    public void replace(int id, BtfType type) {
        Objects.requireNonNull(type, "type");
        if (id < firstId || id >= nextId()) throw new IllegalArgumentException("id: " + id + " was not added here");
        if (type instanceof BtfType.Void) throw new IllegalArgumentException("type: void is never added");
        if (source != null) replaced.put(id, withId(type, id));
        else types.set(id - firstId, withId(type, id));
    }

    // ---------------------------------------------------------------- one method per kind

    /**
     * Adds an {@code INT} whose bits fill its size.
     *
     * @param name e.g. {@code unsigned int}
     * @param size bytes
     * @param encoding {@link BtfType.Int#SIGNED}, {@link BtfType.Int#CHAR}, {@link BtfType.Int#BOOL} or 0
     * @return its id
     */
    public int addInt(String name, int size, int encoding) {
        return add(new BtfType.Int(0, name, size, encoding, 0, size * 8));
    }

    /**
     * Adds a {@code PTR}.
     *
     * @param typeId the type pointed to
     * @return its id
     */
    public int addPtr(int typeId) {
        return add(new BtfType.Ptr(0, "", typeId));
    }

    /**
     * Adds an {@code ARRAY}.
     *
     * @param elemTypeId the element type
     * @param indexTypeId the index type (an integer)
     * @param length the number of elements
     * @return its id
     */
    public int addArray(int elemTypeId, int indexTypeId, int length) {
        return add(new BtfType.Array(0, "", elemTypeId, indexTypeId, length));
    }

    /**
     * Adds a {@code STRUCT}; its {@code kind_flag} is set when a member has a bitfield size.
     *
     * @param name the name, empty for an anonymous struct
     * @param size bytes
     * @param members the members
     * @return its id
     */
    public int addStruct(String name, int size, List<BtfMember> members) {
        return add(new BtfType.Struct(0, name, size, hasBitfields(members), members));
    }

    /**
     * Adds a {@code UNION}; its {@code kind_flag} is set when a member has a bitfield size.
     *
     * @param name the name, empty for an anonymous union
     * @param size bytes
     * @param members the members
     * @return its id
     */
    public int addUnion(String name, int size, List<BtfMember> members) {
        return add(new BtfType.Union(0, name, size, hasBitfields(members), members));
    }

    private static boolean hasBitfields(List<BtfMember> members) {
        for (BtfMember m : members) {
            if (m.bitfieldSize() != 0) return true;
        }
        return false;
    }

    /**
     * Adds an {@code ENUM} of 32-bit values.
     *
     * @param name the name, empty for an anonymous enum
     * @param size bytes
     * @param signed whether the values are signed
     * @param values the enumerators
     * @return its id
     */
    public int addEnum(String name, int size, boolean signed, List<BtfEnumValue> values) {
        return add(new BtfType.Enum(0, name, size, signed, values));
    }

    /**
     * Adds an {@code ENUM64}.
     *
     * @param name the name, empty for an anonymous enum
     * @param size bytes
     * @param signed whether the values are signed
     * @param values the enumerators
     * @return its id
     */
    public int addEnum64(String name, int size, boolean signed, List<BtfEnumValue> values) {
        return add(new BtfType.Enum64(0, name, size, signed, values));
    }

    /**
     * Adds a {@code FWD}.
     *
     * @param name the struct's or union's name
     * @param union true for a union
     * @return its id
     */
    public int addFwd(String name, boolean union) {
        return add(new BtfType.Fwd(0, name, union));
    }

    /**
     * Adds a {@code TYPEDEF}.
     *
     * @param name the name
     * @param typeId the type named
     * @return its id
     */
    public int addTypedef(String name, int typeId) {
        return add(new BtfType.Typedef(0, name, typeId));
    }

    /**
     * Adds a {@code VOLATILE}.
     *
     * @param typeId the qualified type
     * @return its id
     */
    public int addVolatile(int typeId) {
        return add(new BtfType.Volatile(0, "", typeId));
    }

    /**
     * Adds a {@code CONST}.
     *
     * @param typeId the qualified type
     * @return its id
     */
    public int addConst(int typeId) {
        return add(new BtfType.Const(0, "", typeId));
    }

    /**
     * Adds a {@code RESTRICT}.
     *
     * @param typeId the qualified type
     * @return its id
     */
    public int addRestrict(int typeId) {
        return add(new BtfType.Restrict(0, "", typeId));
    }

    /**
     * Adds a {@code FUNC}.
     *
     * @param name the function's name
     * @param protoId its {@code FUNC_PROTO}
     * @param linkage its linkage
     * @return its id
     */
    public int addFunc(String name, int protoId, BtfLinkage linkage) {
        return add(new BtfType.Func(0, name, protoId, linkage));
    }

    /**
     * Adds a {@code FUNC_PROTO}.
     *
     * @param returnTypeId the return type, 0 for {@code void}
     * @param params the parameters
     * @return its id
     */
    public int addFuncProto(int returnTypeId, List<BtfParam> params) {
        return add(new BtfType.FuncProto(0, "", returnTypeId, params));
    }

    /**
     * Adds a {@code VAR}.
     *
     * @param name the variable's name
     * @param typeId its type
     * @param linkage its linkage
     * @return its id
     */
    public int addVar(String name, int typeId, BtfLinkage linkage) {
        return add(new BtfType.Var(0, name, typeId, linkage));
    }

    /**
     * Adds a {@code DATASEC}.
     *
     * @param name the section's name
     * @param size its size in bytes
     * @param vars its variables
     * @return its id
     */
    public int addDatasec(String name, int size, List<BtfVarSecinfo> vars) {
        return add(new BtfType.Datasec(0, name, size, vars));
    }

    /**
     * Adds a {@code FLOAT}.
     *
     * @param name e.g. {@code double}
     * @param size bytes
     * @return its id
     */
    public int addFloat(String name, int size) {
        return add(new BtfType.Float(0, name, size));
    }

    /**
     * Adds a {@code DECL_TAG}.
     *
     * @param name the tag's text
     * @param typeId what is tagged
     * @param componentIdx -1 for the whole declaration, else the member or parameter index
     * @return its id
     */
    public int addDeclTag(String name, int typeId, int componentIdx) {
        return add(new BtfType.DeclTag(0, name, typeId, componentIdx, false));
    }

    /**
     * Adds a {@code TYPE_TAG}.
     *
     * @param name the tag's text
     * @param typeId the tagged type
     * @return its id
     */
    public int addTypeTag(String name, int typeId) {
        return add(new BtfType.TypeTag(0, name, typeId, false));
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes the BTF little-endian, as every kernel BPF runs on (x86, arm64) expects.
     *
     * @return header, types and strings
     * @throws IllegalStateException when a type refers to an id that does not exist
     */
    public byte[] marshal() {
        return marshal(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Encodes the BTF in a byte order.
     *
     * @param order the byte order of every header field and type word
     * @return header, types and strings
     * @throws IllegalStateException when a type refers to an id that does not exist
     */
    public byte[] marshal(ByteOrder order) {
        Objects.requireNonNull(order, "order");
        if (source != null) {
            byte[] inPlace = marshalInPlace(order);
            if (inPlace != null) return inPlace;
        }
        List<BtfType> types = list();
        int count = nextId();
        for (BtfType t : types) {
            for (int ref : TypeEncoder.references(t)) {
                if (ref < 0 || ref >= count) {
                    throw new IllegalStateException("type [" + t.id() + "] " + t.kind() + " '" + t.name() + "' refers to type "
                            + Integer.toUnsignedString(ref) + ", the last type is " + (count - 1));
                }
            }
        }
        TypeEncoder enc = new TypeEncoder(order, this::stringOffset);
        for (BtfType t : types) enc.encode(t);
        return assemble(order, enc.bytes());
    }

    /**
     * The source blob's types, little-endian as parsed, with each replaced type written over its
     * old record: the same bytes the full encoding makes, without decoding the others. Null when
     * that cannot be done: another byte order, a replacement of another length than the record it
     * replaces, or one naming a string the blob lacks.
     */
    private byte[] marshalInPlace(ByteOrder order) {
        if (order != ByteOrder.LITTLE_ENDIAN) return null;
        Btf s = source;
        int first = s.firstId;
        int[] offsets = s.offsets;
        byte[] typeBytes = Arrays.copyOfRange(s.buf, offsets[0], offsets[offsets.length - 1]);
        int strLen = strings.length();
        int count = nextId();
        // A replacement keeping its record's name keeps its name offset: no string lookup.
        int[] current = new int[1];
        TypeEncoder enc = new TypeEncoder(order, n -> n.equals(s.name(current[0]))
                ? Btf.u32(s.buf, offsets[current[0] - first]) : stringOffset(n));
        for (Map.Entry<Integer, BtfType> e : replaced.entrySet()) {
            int id = e.getKey();
            current[0] = id;
            for (int ref : TypeEncoder.references(e.getValue())) {
                if (ref < 0 || ref >= count) return null; // the full path reports it
            }
            int from = enc.length();
            enc.encode(e.getValue());
            int len = enc.length() - from;
            if (len != offsets[id - first + 1] - offsets[id - first]) return null;
            enc.copyTo(from, typeBytes, offsets[id - first] - offsets[0], len);
        }
        // A new name was added to the strings: the full path writes the grown table.
        if (strings.length() != strLen) return null;
        return assemble(order, typeBytes);
    }

    /** The header, then the types, then the strings. */
    private byte[] assemble(ByteOrder order, byte[] typeBytes) {
        byte[] strBytes = strings.bytes();
        if (strBase() + (long) strBytes.length - 1 > BtfParser.MAX_NAME_OFFSET) {
            throw new IllegalStateException("strings take " + strBytes.length + " bytes, more than name offsets reach");
        }
        TypeEncoder hdr = new TypeEncoder(order, null);
        hdr.word(0);
        hdr.word(BtfParser.HEADER_SIZE);
        hdr.word(0);
        hdr.word(typeBytes.length);
        hdr.word(typeBytes.length);
        hdr.word(strBytes.length);
        byte[] out = new byte[BtfParser.HEADER_SIZE + typeBytes.length + strBytes.length];
        System.arraycopy(hdr.bytes(), 0, out, 0, BtfParser.HEADER_SIZE);
        boolean be = order == ByteOrder.BIG_ENDIAN;
        out[0] = (byte) (be ? BtfParser.MAGIC >>> 8 : BtfParser.MAGIC);
        out[1] = (byte) (be ? BtfParser.MAGIC : BtfParser.MAGIC >>> 8);
        out[2] = 1;
        out[3] = 0;
        System.arraycopy(typeBytes, 0, out, BtfParser.HEADER_SIZE, typeBytes.length);
        System.arraycopy(strBytes, 0, out, BtfParser.HEADER_SIZE + typeBytes.length, strBytes.length);
        return out;
    }

    /**
     * Encodes and parses the result.
     *
     * @return the BTF, on the same base
     */
    public Btf build() {
        byte[] blob = marshal();
        return base == null ? Btf.parse(blob) : Btf.parse(blob, base);
    }

    /**
     * The offset of a string, adding it to the string section when it is in neither it nor the base's.
     *
     * @param s the string
     * @return its offset
     */
    public int addString(String s) {
        Objects.requireNonNull(s, "s");
        return stringOffset(s);
    }

    private int strBase() {
        return base == null ? 0 : base.stringsLength();
    }

    private BaseStrings baseStrings;

    private int stringOffset(String s) {
        if (base != null) {
            if (baseStrings == null) baseStrings = new BaseStrings(base);
            int found = baseStrings.find(s);
            if (found >= 0) return found;
        }
        return strBase() + strings.add(s);
    }

    /** The string sections of a base and its own bases, indexed on first use. */
    private static final class BaseStrings {
        private final List<StringTable> tables = new ArrayList<>();
        private final List<Integer> starts = new ArrayList<>();

        BaseStrings(Btf base) {
            for (Btf b = base; b != null; b = b.base) {
                tables.add(0, StringTable.seeded(b.ownStrings()));
                starts.add(0, b.strBase);
            }
        }

        int find(String s) {
            for (int i = 0; i < tables.size(); i++) {
                int o = tables.get(i).find(s);
                if (o >= 0) return starts.get(i) + o;
            }
            return -1;
        }
    }

    /** The same type numbered {@code id}, as every type this builder holds is numbered by its place. */
    static BtfType withId(BtfType t, int id) {
        if (t.id() == id) return t;
        if (t instanceof BtfType.Int x) return new BtfType.Int(id, x.name(), x.size(), x.encoding(), x.bitOffset(), x.bits());
        if (t instanceof BtfType.Ptr x) return new BtfType.Ptr(id, x.name(), x.typeId());
        if (t instanceof BtfType.Array x) return new BtfType.Array(id, x.name(), x.elemTypeId(), x.indexTypeId(), x.length());
        if (t instanceof BtfType.Struct x) return new BtfType.Struct(id, x.name(), x.size(), x.kindFlag(), x.members());
        if (t instanceof BtfType.Union x) return new BtfType.Union(id, x.name(), x.size(), x.kindFlag(), x.members());
        if (t instanceof BtfType.Enum x) return new BtfType.Enum(id, x.name(), x.size(), x.signed(), x.values());
        if (t instanceof BtfType.Enum64 x) return new BtfType.Enum64(id, x.name(), x.size(), x.signed(), x.values());
        if (t instanceof BtfType.Fwd x) return new BtfType.Fwd(id, x.name(), x.union());
        if (t instanceof BtfType.Typedef x) return new BtfType.Typedef(id, x.name(), x.typeId());
        if (t instanceof BtfType.Volatile x) return new BtfType.Volatile(id, x.name(), x.typeId());
        if (t instanceof BtfType.Const x) return new BtfType.Const(id, x.name(), x.typeId());
        if (t instanceof BtfType.Restrict x) return new BtfType.Restrict(id, x.name(), x.typeId());
        if (t instanceof BtfType.Func x) return new BtfType.Func(id, x.name(), x.typeId(), x.linkage());
        if (t instanceof BtfType.FuncProto x) return new BtfType.FuncProto(id, x.name(), x.returnTypeId(), x.params());
        if (t instanceof BtfType.Var x) return new BtfType.Var(id, x.name(), x.typeId(), x.linkage());
        if (t instanceof BtfType.Datasec x) return new BtfType.Datasec(id, x.name(), x.size(), x.vars());
        if (t instanceof BtfType.Float x) return new BtfType.Float(id, x.name(), x.size());
        if (t instanceof BtfType.DeclTag x) return new BtfType.DeclTag(id, x.name(), x.typeId(), x.componentIdx(), x.attribute());
        if (t instanceof BtfType.TypeTag x) return new BtfType.TypeTag(id, x.name(), x.typeId(), x.attribute());
        throw new IllegalArgumentException("type: " + t.kind() + " is never added");
    }
}
