package io.bpf4j.api.btf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * An object file's {@code .BTF.ext} section: per ELF code section, the {@code func_info} (where
 * each function starts and its BTF type), {@code line_info} (the source line of instructions) and
 * {@code core_relo} (CO-RE relocations) records. Strings (section names, file names, source
 * lines, access strings) are offsets into the object's {@code .BTF} string section, resolved here
 * and kept as offsets too, since the kernel's {@code line_info} wants offsets.
 *
 * <p>Layout from libbpf ({@code tools/lib/bpf/libbpf_internal.h}, {@code struct btf_ext_header},
 * {@code struct btf_ext_info_sec}) and the Linux 6.18 uapi ({@code struct bpf_func_info},
 * {@code struct bpf_line_info}, {@code struct bpf_core_relo}): a header with the offset and length
 * of each part (the CO-RE part only in headers of 32 bytes or more); each part starts with its
 * record size, then for each section its name offset, its record count and the records. Records
 * larger than this library knows are read by their known prefix, as libbpf does. Either byte
 * order is read.
 *
 * <p>Instruction offsets are as in the object file: bytes from the start of the section (the
 * kernel wants instruction indexes; see {@link FuncInfo#insnIndex()}).
 */
public final class BtfExt {
    /** The smallest record sizes: {@code sizeof} of the uapi structs. */
    static final int FUNC_INFO_MIN = 8;
    static final int LINE_INFO_MIN = 16;
    static final int CORE_RELO_MIN = 16;
    private static final int HEADER_MIN = 24;
    private static final int HEADER_CORE = 32;

    private final int funcInfoRecordSize;
    private final int lineInfoRecordSize;
    private final int coreReloRecordSize;
    private final List<Section<FuncInfo>> funcInfos;
    private final List<Section<LineInfo>> lineInfos;
    private final List<Section<CoreRelo>> coreRelos;

    private BtfExt(int fs, int ls, int cs, List<Section<FuncInfo>> f, List<Section<LineInfo>> l, List<Section<CoreRelo>> c) {
        this.funcInfoRecordSize = fs;
        this.lineInfoRecordSize = ls;
        this.coreReloRecordSize = cs;
        this.funcInfos = f;
        this.lineInfos = l;
        this.coreRelos = c;
    }

    /**
     * One ELF section's records.
     *
     * @param name the ELF section's name, e.g. {@code xdp} or {@code .text}
     * @param nameOff the name's offset in the BTF strings
     * @param records the records, in file order
     * @param <T> the record type
     */
    public record Section<T>(String name, int nameOff, List<T> records) {
        /**
         * Copies the records.
         *
         * @throws NullPointerException when a field is null
         */
        public Section {
            Objects.requireNonNull(name, "name");
            records = List.copyOf(records);
        }
    }

    /**
     * {@code struct bpf_func_info}: a function starts here and has this type.
     *
     * @param insnOff the function's first instruction, in bytes from the section's start
     * @param typeId its {@link BtfType.Func}
     */
    public record FuncInfo(int insnOff, int typeId) {
        /**
         * The instruction index, as the kernel's {@code func_info} wants it.
         *
         * @return {@code insnOff / 8}
         */
        public int insnIndex() {
            return insnOff >>> 3;
        }
    }

    /**
     * {@code struct bpf_line_info}: the source line of an instruction.
     *
     * @param insnOff the instruction, in bytes from the section's start
     * @param fileNameOff the file name's string offset
     * @param lineOff the source line's string offset
     * @param lineCol line number &lt;&lt; 10 | column
     * @param fileName the file name
     * @param line the source line's text
     */
    public record LineInfo(int insnOff, int fileNameOff, int lineOff, int lineCol, String fileName, String line) {
        /**
         * Checks the fields.
         *
         * @throws NullPointerException when a string is null
         */
        public LineInfo {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(line, "line");
        }

        /**
         * The line number ({@code BPF_LINE_INFO_LINE_NUM}).
         *
         * @return {@code lineCol >>> 10}
         */
        public int lineNumber() {
            return lineCol >>> 10;
        }

        /**
         * The column ({@code BPF_LINE_INFO_LINE_COL}).
         *
         * @return {@code lineCol & 0x3ff}
         */
        public int column() {
            return lineCol & 0x3ff;
        }

        /**
         * The instruction index, as the kernel's {@code line_info} wants it.
         *
         * @return {@code insnOff / 8}
         */
        public int insnIndex() {
            return insnOff >>> 3;
        }
    }

    /**
     * {@code struct bpf_core_relo}: an instruction whose constant depends on the target's types.
     *
     * @param insnOff the instruction, in bytes from the section's start
     * @param typeId the root type in the object's BTF
     * @param accessStrOff the access string's offset
     * @param accessString the access string, e.g. {@code 0:1:2} (members and array indexes from the root)
     * @param kind what the relocation asks for
     */
    public record CoreRelo(int insnOff, int typeId, int accessStrOff, String accessString, CoreReloKind kind) {
        /**
         * Checks the fields.
         *
         * @throws NullPointerException when the access string or kind is null
         */
        public CoreRelo {
            Objects.requireNonNull(accessString, "accessString");
            Objects.requireNonNull(kind, "kind");
        }

        /**
         * The instruction index.
         *
         * @return {@code insnOff / 8}
         */
        public int insnIndex() {
            return insnOff >>> 3;
        }
    }

    /**
     * Parses a {@code .BTF.ext} section.
     *
     * @param ext the section's bytes
     * @param btf the object's {@code .BTF}, whose strings the records name
     * @return the records
     * @throws BtfFormatException when the bytes are malformed or name a string past the strings
     */
    public static BtfExt parse(byte[] ext, Btf btf) {
        Objects.requireNonNull(ext, "ext");
        Objects.requireNonNull(btf, "btf");
        Reader r = new Reader(ext, btf);
        return r.parse();
    }

    /**
     * The record size of {@code func_info} in this file.
     *
     * @return bytes, at least 8; 0 when there is no func_info part
     */
    public int funcInfoRecordSize() {
        return funcInfoRecordSize;
    }

    /**
     * The record size of {@code line_info} in this file.
     *
     * @return bytes, at least 16; 0 when there is no line_info part
     */
    public int lineInfoRecordSize() {
        return lineInfoRecordSize;
    }

    /**
     * The record size of {@code core_relo} in this file.
     *
     * @return bytes, at least 16; 0 when there is no core_relo part
     */
    public int coreReloRecordSize() {
        return coreReloRecordSize;
    }

    /**
     * Every section's {@code func_info} records.
     *
     * @return the sections, in file order
     */
    public List<Section<FuncInfo>> funcInfos() {
        return funcInfos;
    }

    /**
     * Every section's {@code line_info} records.
     *
     * @return the sections, in file order
     */
    public List<Section<LineInfo>> lineInfos() {
        return lineInfos;
    }

    /**
     * Every section's CO-RE relocations.
     *
     * @return the sections, in file order
     */
    public List<Section<CoreRelo>> coreRelos() {
        return coreRelos;
    }

    /**
     * One ELF section's {@code func_info} records.
     *
     * @param section the ELF section's name
     * @return the records, empty when the section has none
     */
    public List<FuncInfo> funcInfos(String section) {
        return of(funcInfos, section);
    }

    /**
     * One ELF section's {@code line_info} records.
     *
     * @param section the ELF section's name
     * @return the records, empty when the section has none
     */
    public List<LineInfo> lineInfos(String section) {
        return of(lineInfos, section);
    }

    /**
     * One ELF section's CO-RE relocations.
     *
     * @param section the ELF section's name
     * @return the records, empty when the section has none
     */
    public List<CoreRelo> coreRelos(String section) {
        return of(coreRelos, section);
    }

    private static <T> List<T> of(List<Section<T>> sections, String name) {
        Objects.requireNonNull(name, "section");
        for (Section<T> s : sections) {
            if (s.name().equals(name)) return s.records();
        }
        return List.of();
    }

    /** One pass over the bytes, every read bounded by the part it belongs to. */
    private static final class Reader {
        private final byte[] b;
        private final Btf btf;
        private boolean bigEndian;
        /**
         * Strings decoded so far, by offset: every line_info record names its file, and the
         * records of one source line (a macro's expansion, an inlined function) share its text.
         * At most one entry per record read, so bounded by the input.
         */
        private final HashMap<Integer, String> strings = new HashMap<>();

        Reader(byte[] b, Btf btf) {
            this.b = b;
            this.btf = btf;
        }

        int u32(int at) {
            int v = Btf.u32(b, at);
            return bigEndian ? Integer.reverseBytes(v) : v;
        }

        BtfExt parse() {
            if (b.length < HEADER_MIN) {
                throw new BtfFormatException(".BTF.ext of " + b.length + " bytes is shorter than its " + HEADER_MIN
                        + "-byte header", 0, 0);
            }
            int magic = (b[0] & 0xff) | (b[1] & 0xff) << 8;
            if (magic == BtfParser.MAGIC) {
                bigEndian = false;
            } else if (magic == Integer.reverseBytes(BtfParser.MAGIC) >>> 16) {
                bigEndian = true;
            } else {
                throw new BtfFormatException(String.format(".BTF.ext magic 0x%04x is not 0xeb9f", magic), 0, 0);
            }
            if (b[2] != 1) throw new BtfFormatException(".BTF.ext version " + (b[2] & 0xff) + ", only 1 is known", 2, 0);
            if (b[3] != 0) throw new BtfFormatException(".BTF.ext flags 0x" + Integer.toHexString(b[3] & 0xff) + ", none are known", 3, 0);
            long hdrLen = Integer.toUnsignedLong(u32(4));
            if (hdrLen < HEADER_MIN || hdrLen > b.length) {
                throw new BtfFormatException(".BTF.ext hdr_len " + hdrLen + " is not between " + HEADER_MIN + " and "
                        + b.length, 4, 0);
            }
            int h = (int) hdrLen;
            int[] fs = new int[1];
            int[] ls = new int[1];
            int[] cs = new int[1];
            List<Section<FuncInfo>> f = part(h, 8, "func_info", FUNC_INFO_MIN, fs,
                    at -> new FuncInfo(u32(at), u32(at + 4)));
            List<Section<LineInfo>> l = part(h, 16, "line_info", LINE_INFO_MIN, ls, at -> {
                int file = u32(at + 4);
                int line = u32(at + 8);
                return new LineInfo(u32(at), file, line, u32(at + 12), string(file, at + 4), string(line, at + 8));
            });
            List<Section<CoreRelo>> c = hdrLen < HEADER_CORE ? List.of() : part(h, 24, "core_relo", CORE_RELO_MIN, cs, at -> {
                int access = u32(at + 8);
                int kind = u32(at + 12);
                if (!CoreReloKind.known(kind)) throw new BtfFormatException("core_relo kind " + kind + " is unknown", at + 12, 0);
                return new CoreRelo(u32(at), u32(at + 4), access, string(access, at + 8), CoreReloKind.of(kind));
            });
            return new BtfExt(fs[0], ls[0], cs[0], f, l, c);
        }

        private String string(int off, int at) {
            if (Integer.toUnsignedLong(off) >= btf.stringsLength()) {
                throw new BtfFormatException(".BTF.ext string offset " + Integer.toUnsignedString(off)
                        + " is past the BTF's " + btf.stringsLength() + " bytes of strings", at, 0);
            }
            String s = strings.get(off);
            if (s == null) {
                s = btf.string(off);
                strings.put(off, s);
            }
            return s;
        }

        /**
         * One part: {@code off}/{@code len} at {@code field} of the header, relative to the end of
         * the header; the record size first, then sections.
         */
        private <T> List<Section<T>> part(int hdrLen, int field, String what, int min, int[] recordSize,
                IntFunction<T> record) {
            long off = Integer.toUnsignedLong(u32(field));
            long len = Integer.toUnsignedLong(u32(field + 4));
            if (len == 0) return List.of();
            long start = hdrLen + off;
            long end = start + len;
            if (end > b.length) {
                throw new BtfFormatException(what + " [" + off + ", +" + len + ") runs past the .BTF.ext's " + b.length
                        + " bytes", field, 0);
            }
            if (len < 4) throw new BtfFormatException(what + " is " + len + " bytes, too short for its record size", field, 0);
            int size = u32((int) start);
            if (size < min || (size & 3) != 0) {
                throw new BtfFormatException(what + " record size " + Integer.toUnsignedString(size) + " is below " + min
                        + " or not a multiple of 4", (int) start, 0);
            }
            recordSize[0] = size;
            List<Section<T>> sections = new ArrayList<>();
            long p = start + 4;
            while (p < end) {
                if (end - p < 8) throw new BtfFormatException(what + " section header cut short", p, 0);
                int at = (int) p;
                int nameOff = u32(at);
                long n = Integer.toUnsignedLong(u32(at + 4));
                if (n == 0) throw new BtfFormatException(what + " section has no records", at + 4, 0);
                if (n * size > end - p - 8) {
                    throw new BtfFormatException(what + " section claims " + n + " records of " + size + " bytes, the part has "
                            + (end - p - 8) + " left", at + 4, 0);
                }
                String name = string(nameOff, at);
                List<T> records = new ArrayList<>((int) n);
                for (long i = 0, q = p + 8; i < n; i++, q += size) records.add(record.apply((int) q));
                sections.add(new Section<>(name, nameOff, records));
                p += 8 + n * size;
            }
            return Collections.unmodifiableList(sections);
        }
    }
}
