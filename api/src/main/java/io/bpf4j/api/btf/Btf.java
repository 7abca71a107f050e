package io.bpf4j.api.btf;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Parsed BTF: the types of a kernel, a module or an object file, looked up by id or name.
 *
 * <p><b>Memory.</b> A {@code Btf} keeps the blob it was given and one {@code int} per type (where
 * the type starts), nothing else: types are decoded into {@link BtfType} values when asked for,
 * and the index of names is built on the first lookup by name. This kernel's vmlinux BTF (126,000
 * types, 5.5 MB) takes a little more than its own size.
 *
 * <p><b>Ids.</b> Type 0 is {@code void}. A base BTF (vmlinux, an object file) numbers its types
 * from 1; split BTF (a module's, {@link #parse(byte[], Btf)}) continues its base's ids and string
 * offsets, and every lookup here sees the base's types too.
 *
 * <p><b>Errors.</b> Malformed bytes throw {@link BtfFormatException} naming what and where, from
 * {@link #parse(byte[])} for the structure and from the methods that follow references
 * ({@link #resolve(int)}, {@link #sizeOf(int)}, ...) for chains that loop. An id that is not in
 * the BTF is the caller's mistake: {@link IllegalArgumentException}.
 *
 * <p>Instances are immutable and safe to share between threads.
 *
 * {@snippet :
 * Btf vmlinux = KernelBtf.vmlinux();
 * BtfType.Struct task = vmlinux.find("task_struct", BtfType.Struct.class).orElseThrow();
 * System.out.println(task.size() + " bytes, " + task.members().size() + " members");
 * System.out.println(BtfDump.c(vmlinux, task.id()));
 * }
 */
public final class Btf {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    final Btf base;
    /** The blob as given. */
    private final byte[] blob;
    /** The blob in little-endian order: {@link #blob} itself unless that was big-endian. */
    final byte[] buf;
    private final ByteOrder order;
    final int typesStart;
    final int strStart;
    final int strLen;
    /** The string offset this blob's strings start at: its base's string length, else 0. */
    final int strBase;
    /** The id of this blob's first type. */
    final int firstId;
    /** Where each of this blob's types starts in {@link #buf}; one more entry: the section's end. */
    final int[] offsets;
    private volatile NameIndex names;
    /** How many more types lookups may scan before the names are indexed. */
    private long scanBudget;
    private volatile int pointerSize;

    Btf(Btf base, byte[] blob, byte[] buf, ByteOrder order, int typesStart, int strStart, int strLen, int strBase,
            int firstId, int[] offsets) {
        this.base = base;
        this.blob = blob;
        this.buf = buf;
        this.order = order;
        this.typesStart = typesStart;
        this.strStart = strStart;
        this.strLen = strLen;
        this.strBase = strBase;
        this.firstId = firstId;
        this.offsets = offsets;
        this.scanBudget = 2L * (offsets.length - 1);
    }

    /**
     * Parses base BTF: a header, a type section and a string section, in either byte order.
     * The array is kept, not copied: do not change it afterwards.
     *
     * @param blob the raw BTF
     * @return the parsed BTF
     * @throws BtfFormatException when the bytes are not well-formed BTF
     */
    public static Btf parse(byte[] blob) {
        Objects.requireNonNull(blob, "blob");
        return BtfParser.parse(blob, null);
    }

    /**
     * Parses split BTF, whose type ids and string offsets continue those of {@code base}: the
     * way a kernel module's BTF ({@code /sys/kernel/btf/<module>}) continues vmlinux's.
     *
     * @param blob the raw split BTF; kept, not copied
     * @param base the BTF it continues
     * @return the parsed BTF, whose lookups cover the base's types too
     * @throws BtfFormatException when the bytes are not well-formed BTF on that base
     */
    public static Btf parse(byte[] blob, Btf base) {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(base, "base");
        return BtfParser.parse(blob, base);
    }

    /**
     * Reads and parses a raw BTF file, e.g. {@code /sys/kernel/btf/vmlinux}.
     *
     * @param file the file
     * @return the parsed BTF
     * @throws IOException when the file cannot be read
     * @throws BtfFormatException when its bytes are not well-formed BTF
     */
    public static Btf read(Path file) throws IOException {
        return parse(readFile(file));
    }

    /**
     * Reads and parses a raw split BTF file, e.g. {@code /sys/kernel/btf/<module>} on vmlinux.
     *
     * @param file the file
     * @param base the BTF it continues
     * @return the parsed BTF
     * @throws IOException when the file cannot be read
     * @throws BtfFormatException when its bytes are not well-formed BTF on that base
     */
    public static Btf read(Path file, Btf base) throws IOException {
        Objects.requireNonNull(base, "base");
        return parse(readFile(file), base);
    }

    /** Opens a file, reporting a missing one as {@link NoSuchFileException} as {@link Files} does. */
    private static FileInputStream open(Path file) throws IOException {
        try {
            return new FileInputStream(file.toFile());
        } catch (FileNotFoundException e) {
            if (Files.exists(file)) throw e;
            NoSuchFileException n = new NoSuchFileException(file.toString());
            n.initCause(e);
            throw n;
        }
    }

    /**
     * A whole file, read in 8 KiB pieces. sysfs hands BTF out 4 KiB per {@code read(2)}
     * whatever is asked, and {@link FileInputStream} reads of up to 8 KiB need no temporary
     * native buffer: this reads vmlinux's BTF in about four fifths of the time
     * {@link Files#readAllBytes} takes. A file that grows past its reported size is read to its end.
     */
    static byte[] readFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (file.getFileSystem() != FileSystems.getDefault()) return Files.readAllBytes(file);
        try (FileInputStream in = open(file)) {
            long size = in.getChannel().size();
            if (size > Integer.MAX_VALUE - 16) throw new IOException(file + ": " + size + " bytes is too large for BTF");
            byte[] b = new byte[(int) size];
            int n = 0;
            for (;;) {
                if (n == b.length) {
                    int c = in.read();
                    if (c < 0) return b;
                    if (b.length >= Integer.MAX_VALUE - 16) throw new IOException(file + ": too large for BTF");
                    b = Arrays.copyOf(b, (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(8192L, 2L * b.length)));
                    b[n++] = (byte) c;
                }
                int r = in.read(b, n, Math.min(8192, b.length - n));
                if (r < 0) return Arrays.copyOf(b, n);
                n += r;
            }
        }
    }

    // ---------------------------------------------------------------- the blob

    /**
     * The BTF this one continues.
     *
     * @return the base of split BTF, empty for base BTF
     */
    public Optional<Btf> base() {
        return Optional.ofNullable(base);
    }

    /**
     * The byte order of the blob as parsed.
     *
     * @return little- or big-endian
     */
    public ByteOrder byteOrder() {
        return order;
    }

    /**
     * A copy of the blob this was parsed from, unchanged (also when it was big-endian).
     *
     * @return the bytes
     */
    public byte[] raw() {
        return blob.clone();
    }

    /**
     * The blob's size in bytes.
     *
     * @return the size
     */
    public int rawSize() {
        return blob.length;
    }

    /**
     * The id of this blob's first type: 1 for base BTF, the base's {@link #typeCount()} for split BTF.
     *
     * @return the first own id
     */
    public int firstId() {
        return firstId;
    }

    /**
     * How many ids there are, with {@code void} and the base's types: valid ids are 0 to
     * {@code typeCount() - 1} (libbpf's {@code btf__type_cnt}).
     *
     * @return one past the last id
     */
    public int typeCount() {
        return firstId + offsets.length - 1;
    }

    // ---------------------------------------------------------------- types by id

    /**
     * The type with an id, decoded from the blob (each call makes a new, equal value).
     *
     * @param id 0 to {@link #typeCount()} - 1
     * @return the type; {@link BtfType.Void} for 0
     * @throws IllegalArgumentException when there is no such id
     */
    public BtfType type(int id) {
        if (id == 0) return TypeDecoder.VOID;
        Btf owner = owner(id);
        return TypeDecoder.decode(owner, id);
    }

    /**
     * The type with an id, which must be of a given class.
     *
     * @param id the id
     * @param kind the expected class, e.g. {@code BtfType.Struct.class}
     * @param <T> the class
     * @return the type
     * @throws IllegalArgumentException when there is no such id or the type is another kind
     */
    public <T extends BtfType> T type(int id, Class<T> kind) {
        BtfType t = type(id);
        if (!kind.isInstance(t)) throw new IllegalArgumentException("id: type [" + id + "] is " + t.kind() + ", not " + kind.getSimpleName());
        return kind.cast(t);
    }

    /**
     * The kind of a type, without decoding it.
     *
     * @param id the id
     * @return the kind; {@link BtfKind#VOID} for 0
     * @throws IllegalArgumentException when there is no such id
     */
    public BtfKind kind(int id) {
        if (id == 0) return BtfKind.VOID;
        Btf o = owner(id);
        return BtfKind.ofChecked((u32(o.buf, o.offsets[id - o.firstId] + 4) >>> 24) & 0x1f);
    }

    /**
     * The name of a type, without decoding the rest of it.
     *
     * @param id the id
     * @return the name, empty when anonymous
     * @throws IllegalArgumentException when there is no such id
     */
    public String name(int id) {
        if (id == 0) return "";
        Btf o = owner(id);
        return string(u32(o.buf, o.offsets[id - o.firstId]));
    }

    /**
     * This blob's own types in id order, decoded as the stream is consumed (for split BTF not the
     * base's: stream {@code base().get().types()} for those).
     *
     * @return the types from {@link #firstId()} on
     */
    public Stream<BtfType> types() {
        return IntStream.range(firstId, typeCount()).mapToObj(this::type);
    }

    // ---------------------------------------------------------------- types by name

    /**
     * The ids of every type with a name, base types first, in id order. The first lookups scan
     * the types as libbpf's {@code btf__find_by_name} does; once they have cost about two
     * passes over the types, the names are indexed (a few milliseconds for vmlinux) and later
     * lookups are hash lookups.
     *
     * @param name the name
     * @return the ids, empty when none has the name
     */
    public int[] ids(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) return new int[0];
        return lookup(name.getBytes(StandardCharsets.UTF_8), null, false);
    }

    /**
     * Every type with a name.
     *
     * @param name the name
     * @return the types, in id order
     */
    public List<BtfType> findAll(String name) {
        int[] ids = ids(name);
        List<BtfType> r = new ArrayList<>(ids.length);
        for (int id : ids) r.add(type(id));
        return r;
    }

    /**
     * The first type with a name and kind (libbpf's {@code btf__find_by_name_kind}).
     *
     * @param name the name
     * @param kind the kind
     * @return the type, empty when none matches
     */
    public Optional<BtfType> find(String name, BtfKind kind) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isEmpty()) return Optional.empty();
        int[] found = lookup(name.getBytes(StandardCharsets.UTF_8), kind, true);
        return found.length == 0 ? Optional.empty() : Optional.of(type(found[0]));
    }

    /**
     * The first type with a name and class.
     *
     * @param name the name
     * @param kind the class, e.g. {@code BtfType.Struct.class}
     * @param <T> the class
     * @return the type, empty when none matches
     */
    public <T extends BtfType> Optional<T> find(String name, Class<T> kind) {
        Objects.requireNonNull(kind, "kind");
        for (int id : ids(name)) {
            BtfType t = type(id);
            if (kind.isInstance(t)) return Optional.of(kind.cast(t));
        }
        return Optional.empty();
    }

    /**
     * Types named {@code utf8} (and of {@code kind} unless null), base first; only the first
     * when {@code first}.
     */
    private int[] lookup(byte[] utf8, BtfKind kind, boolean first) {
        int[] inBase = base == null ? new int[0] : base.lookup(utf8, kind, first);
        if (first && inBase.length > 0) return inBase;
        int[] own = ownLookup(utf8, kind, first);
        if (inBase.length == 0) return own;
        if (own.length == 0) return inBase;
        int[] all = Arrays.copyOf(inBase, inBase.length + own.length);
        System.arraycopy(own, 0, all, inBase.length, own.length);
        return all;
    }

    private int[] ownLookup(byte[] utf8, BtfKind kind, boolean first) {
        if (hasReplacementChar(utf8)) return decodedScan(new String(utf8, StandardCharsets.UTF_8), kind, first);
        NameIndex n = names;
        if (n == null && scanBudget > 0) {
            int[] r = NameIndex.scan(this, utf8, kind, first);
            // Racy on purpose: the budget only decides when indexing pays, so a lost update is harmless.
            scanBudget -= r.length > 0 && first ? r[0] - firstId + 1 : offsets.length - 1;
            return r;
        }
        if (n == null) n = index();
        int[] ids = n.find(utf8);
        if (kind == null) return ids;
        int k = 0;
        for (int id : ids) {
            if (kind(id) == kind) {
                ids[k++] = id;
                if (first) break;
            }
        }
        return Arrays.copyOf(ids, k);
    }

    /**
     * Whether a name holds U+FFFD, which is what a name that is not valid UTF-8 decodes to: such
     * a name's bytes are not its UTF-8 encoding, so it is compared decoded.
     */
    private static boolean hasReplacementChar(byte[] utf8) {
        for (int i = 0; i + 2 < utf8.length; i++) {
            if (utf8[i] == (byte) 0xef && utf8[i + 1] == (byte) 0xbf && utf8[i + 2] == (byte) 0xbd) return true;
        }
        return false;
    }

    private int[] decodedScan(String name, BtfKind kind, boolean first) {
        int[] found = new int[0];
        for (int id = firstId; id < typeCount(); id++) {
            if ((kind == null || kind(id) == kind) && name(id).equals(name)) {
                found = Arrays.copyOf(found, found.length + 1);
                found[found.length - 1] = id;
                if (first) break;
            }
        }
        return found;
    }

    /**
     * The bytes this object keeps in arrays (the blob, its little-endian copy if any, the offsets
     * and the name index), which is all but a few dozen bytes of it; the base's not counted.
     */
    long footprint() {
        NameIndex n = names;
        return blob.length + (buf == blob ? 0 : buf.length) + 4L * offsets.length + (n == null ? 0 : n.footprint());
    }

    /** Whether the names are indexed yet. */
    boolean indexed() {
        return names != null;
    }

    private NameIndex index() {
        NameIndex n = names;
        if (n == null) {
            synchronized (this) {
                n = names;
                if (n == null) names = n = NameIndex.build(this);
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- following references

    /**
     * The type under typedefs, qualifiers ({@code const}, {@code volatile}, {@code restrict})
     * and type tags (libbpf's {@code btf__resolve_type}).
     *
     * @param id the id
     * @return the id of the first type that is none of those
     * @throws BtfFormatException when the chain is longer than 32, as only a cycle makes it
     */
    public int resolve(int id) {
        return TypeLayout.resolve(this, id);
    }

    /**
     * The size in bytes of a value of the type (libbpf's {@code btf__resolve_size}): a pointer's
     * is {@link #pointerSize()}, an array's its length times its element's, a typedef's or
     * variable's its type's.
     *
     * @param id the id
     * @return the size
     * @throws IllegalArgumentException when the type has no size ({@code void}, functions,
     *     forward declarations)
     * @throws BtfFormatException when references loop
     */
    public long sizeOf(int id) {
        return TypeLayout.sizeOf(this, id);
    }

    /**
     * The alignment of the type in bytes, as a C compiler for the BTF's target lays it out
     * (libbpf's {@code btf__align_of}); 1 for a packed struct.
     *
     * @param id the id
     * @return the alignment
     * @throws IllegalArgumentException when the type has no alignment
     * @throws BtfFormatException when references loop
     */
    public int alignOf(int id) {
        return TypeLayout.alignOf(this, id, 0);
    }

    /**
     * The size of a pointer on the BTF's target: the size of its {@code long}, 8 when it has none.
     *
     * @return 4 or 8
     */
    public int pointerSize() {
        int p = pointerSize;
        if (p == 0) pointerSize = p = TypeLayout.pointerSize(this);
        return p;
    }

    // ---------------------------------------------------------------- strings

    /**
     * The string at an offset of the string section (of the base for offsets below its length).
     *
     * @param offset the offset, as in a type's {@code name_off}
     * @return the string
     * @throws IllegalArgumentException when the offset is past the strings
     */
    public String string(int offset) {
        if (offset >= 0 && offset < strBase) return base.string(offset);
        int local = offset - strBase;
        if (offset < 0 || local >= strLen) {
            throw new IllegalArgumentException("offset: " + Integer.toUnsignedString(offset) + " is past the strings' "
                    + stringsLength() + " bytes");
        }
        int start = strStart + local;
        int end = start;
        while (buf[end] != 0) end++;
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * The size of the strings, with the base's: the offset the next string would get.
     *
     * @return the length in bytes
     */
    public int stringsLength() {
        return strBase + strLen;
    }

    /** This blob's own string section, as bytes in {@link #buf} from {@link #strStart}. */
    byte[] ownStrings() {
        return Arrays.copyOfRange(buf, strStart, strStart + strLen);
    }

    @Override
    public String toString() {
        return "BTF (" + (typeCount() - firstId) + " types from id " + firstId + ", " + blob.length + " bytes, "
                + (order == ByteOrder.LITTLE_ENDIAN ? "little" : "big") + "-endian" + (base == null ? "" : ", split") + ")";
    }

    // ---------------------------------------------------------------- internals

    /** The Btf (this or a base) whose blob holds {@code id}. */
    Btf owner(int id) {
        Btf b = this;
        if (id < 0 || id >= typeCount()) {
            throw new IllegalArgumentException("id: " + Integer.toUnsignedString(id) + " is not a type id (0 to "
                    + (typeCount() - 1) + ")");
        }
        while (id < b.firstId) b = b.base;
        return b;
    }

    /** A little-endian u32 (as an int's bits) at {@code off}. */
    static int u32(byte[] b, int off) {
        return (int) LE_INT.get(b, off);
    }
}
