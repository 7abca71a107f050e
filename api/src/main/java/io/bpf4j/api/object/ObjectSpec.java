package io.bpf4j.api.object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * An eBPF object file, read and linked but not loaded: its programs, maps, global variables,
 * license and kernel version, from an ELF object as {@code clang -target bpf -O2 -g -c}
 * writes it. Reading needs no backend; {@link #load(io.bpf4j.api.Bpf)} creates everything on
 * one.
 *
 * <p>Immutable: the {@code with*} methods return an edited copy (a map's capacity or pin path,
 * which programs load, a global variable's initial value).
 *
 * {@snippet :
 * ObjectSpec spec = ObjectSpec.open(Path.of("counter.o"))
 *         .withMaxEntries("counts", 4096)
 *         .withVariable("threshold", 10);
 * for (ObjectProgram p : spec.programs()) {
 *     System.out.println(p.name() + " " + p.type() + " " + p.instructionCount());
 * }
 * }
 *
 * <p>A malformed file, or one using a feature this reader does not handle, throws
 * {@link ObjectFormatException} naming the file, the section and the symbol.
 */
public final class ObjectSpec {
    /** The largest object file read, so a mistaken path cannot make the reader fill the heap. */
    public static final long MAX_FILE_SIZE = 512L << 20;

    private final String file;
    private final String objectName;
    private final String license;
    private final int kernelVersion;
    private final List<ObjectProgram> programs;
    private final List<ObjectMap> maps;
    private final List<ObjectVariable> variables;
    private final Set<String> selected;
    private final io.bpf4j.api.btf.Btf btf;
    /** The BTF DATASECs with their sizes and offsets filled in from the ELF, for loading the BTF. */
    private final List<io.bpf4j.api.btf.BtfType.Datasec> datasecs;
    private final io.bpf4j.api.btf.BtfExt btfExt;
    private final Externs externs;

    private final ObjectFlavor flavor;

    ObjectSpec(String file, String objectName, String license, int kernelVersion, List<ObjectProgram> programs,
            List<ObjectMap> maps, List<ObjectVariable> variables, Set<String> selected, io.bpf4j.api.btf.Btf btf,
            List<io.bpf4j.api.btf.BtfType.Datasec> datasecs, io.bpf4j.api.btf.BtfExt btfExt, Externs externs) {
        this(file, objectName, license, kernelVersion, programs, maps, variables, selected, btf, datasecs, btfExt, externs,
                ObjectFlavor.LIBBPF);
    }

    ObjectSpec(String file, String objectName, String license, int kernelVersion, List<ObjectProgram> programs,
            List<ObjectMap> maps, List<ObjectVariable> variables, Set<String> selected, io.bpf4j.api.btf.Btf btf,
            List<io.bpf4j.api.btf.BtfType.Datasec> datasecs, io.bpf4j.api.btf.BtfExt btfExt, Externs externs,
            ObjectFlavor flavor) {
        this.flavor = flavor;
        this.btfExt = btfExt;
        this.externs = externs;
        this.btf = btf;
        this.datasecs = List.copyOf(datasecs);
        this.file = file;
        this.objectName = objectName;
        this.license = license;
        this.kernelVersion = kernelVersion;
        this.programs = List.copyOf(programs);
        this.maps = List.copyOf(maps);
        this.variables = List.copyOf(variables);
        this.selected = selected == null ? null : Set.copyOf(selected);
    }

    /**
     * Reads an object file.
     *
     * @param path the {@code .o} file
     * @return the spec
     * @throws IOException if the file cannot be read
     * @throws ObjectFormatException if it is not a BPF object this reader understands
     */
    public static ObjectSpec open(Path path) throws IOException {
        return open(path, ObjectFlavor.LIBBPF);
    }

    /**
     * Reads an object file compiled for the given conventions.
     *
     * {@snippet :
     * ObjectSpec spec = ObjectSpec.open(Path.of("bindmonitor.o"), ObjectFlavor.EBPF_FOR_WINDOWS);
     * }
     *
     * @param path the {@code .o} file
     * @param flavor whose headers it was compiled against
     * @return the spec
     * @throws IOException if the file cannot be read
     * @throws ObjectFormatException if it is not a BPF object of that flavor this reader understands
     */
    public static ObjectSpec open(Path path, ObjectFlavor flavor) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(flavor, "flavor");
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE) {
            throw new ObjectFormatException(path.toString(), null, null, "file of " + size + " bytes is larger than "
                    + MAX_FILE_SIZE + " bytes");
        }
        Path name = path.getFileName();
        Objects.requireNonNull(flavor, "flavor");
        String fileName = name == null ? path.toString() : name.toString();
        if (fileName.isEmpty()) throw new IllegalArgumentException("path: no file name");
        // The array was just read and is nobody else's: no copy, unlike parse().
        return SpecReader.read(fileName, Files.readAllBytes(path), flavor);
    }

    /**
     * Reads an object file's bytes.
     *
     * @param fileName the file's name, for messages and the object name (libbpf's: the name up to
     *     its first dot)
     * @param bytes the file's contents; not kept
     * @return the spec
     * @throws ObjectFormatException if they are not a BPF object this reader understands
     */
    public static ObjectSpec parse(String fileName, byte[] bytes) {
        return parse(fileName, bytes, ObjectFlavor.LIBBPF);
    }

    /**
     * Reads the bytes of an object file compiled for the given conventions.
     *
     * @param fileName the file's name, for messages and the object name
     * @param bytes the file's contents; not kept
     * @param flavor whose headers it was compiled against
     * @return the spec
     * @throws ObjectFormatException if they are not a BPF object of that flavor this reader understands
     */
    public static ObjectSpec parse(String fileName, byte[] bytes, ObjectFlavor flavor) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(flavor, "flavor");
        if (fileName.isEmpty()) throw new IllegalArgumentException("fileName: empty");
        return SpecReader.read(fileName, bytes.clone(), flavor);
    }

    /**
     * The conventions the object was read with.
     *
     * @return the flavor
     */
    public ObjectFlavor flavor() {
        return flavor;
    }

    /**
     * The file's name as given.
     *
     * @return the name
     */
    public String file() {
        return file;
    }

    /**
     * The object's name as libbpf derives it (the file name up to its first dot, at most 15
     * characters); it prefixes the kernel names of the global-data maps.
     *
     * @return the name
     */
    public String objectName() {
        return objectName;
    }

    /**
     * The {@code license} section's string.
     *
     * @return the license, empty when the object has none
     */
    public String license() {
        return license;
    }

    /**
     * The {@code version} section's kernel version, which only old kprobe programs need.
     *
     * @return the version, or 0
     */
    public int kernelVersion() {
        return kernelVersion;
    }

    /**
     * The object's BTF ({@code .BTF}), which describes its maps, variables and functions.
     *
     * @return the BTF, or empty when the object was compiled without {@code -g}
     */
    public Optional<io.bpf4j.api.btf.Btf> btf() {
        return Optional.ofNullable(btf);
    }

    List<io.bpf4j.api.btf.BtfType.Datasec> fixedDatasecs() {
        return datasecs;
    }

    /**
     * Every program of the object, in the order of the file.
     *
     * @return the programs
     */
    public List<ObjectProgram> programs() {
        return programs;
    }

    /**
     * The programs {@link #load(io.bpf4j.api.Bpf)} loads: all of them unless
     * {@link #withPrograms(String...)} chose some.
     *
     * @return the programs to load
     */
    public List<ObjectProgram> selectedPrograms() {
        if (selected == null) return programs;
        return programs.stream().filter(p -> selected.contains(p.name())).toList();
    }

    /**
     * A program by name.
     *
     * @param name its function's name
     * @return the program
     * @throws IllegalArgumentException naming the parameter when there is none
     */
    public ObjectProgram program(String name) {
        return findProgram(name).orElseThrow(() -> new IllegalArgumentException("name: no program '" + name + "' in "
                + file + " (programs: " + String.join(", ", programs.stream().map(ObjectProgram::name).toList()) + ")"));
    }

    /**
     * A program by name, if there is one.
     *
     * @param name its function's name
     * @return the program, or empty
     */
    public Optional<ObjectProgram> findProgram(String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Every map of the object: defined maps, then global data, in the order of the file.
     *
     * @return the maps
     */
    public List<ObjectMap> maps() {
        return maps;
    }

    /**
     * A map by name.
     *
     * @param name its name in the object (the variable's, or the section's for global data)
     * @return the map
     * @throws IllegalArgumentException naming the parameter when there is none
     */
    public ObjectMap map(String name) {
        return findMap(name).orElseThrow(() -> new IllegalArgumentException("name: no map '" + name + "' in " + file
                + " (maps: " + String.join(", ", maps.stream().map(ObjectMap::name).toList()) + ")"));
    }

    /**
     * A map by name, if there is one.
     *
     * @param name its name in the object
     * @return the map, or empty
     */
    public Optional<ObjectMap> findMap(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * Every global variable of the object's {@code .data}, {@code .rodata} and {@code .bss}
     * sections (and their custom {@code .data.*} ... variants).
     *
     * @return the variables
     */
    public List<ObjectVariable> variables() {
        return variables;
    }

    /**
     * A global variable by name.
     *
     * @param name its name
     * @return the variable
     * @throws IllegalArgumentException naming the parameter when there is none
     */
    public ObjectVariable variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("name: no global variable '" + name + "' in " + file + " (variables: "
                        + String.join(", ", variables.stream().map(ObjectVariable::name).toList()) + ")"));
    }

    // ------------------------------------------------------------------ edits

    /**
     * A copy in which a map has another capacity.
     *
     * @param map the map's name
     * @param maxEntries the new capacity
     * @return the copy
     * @throws IllegalArgumentException naming the parameter for an unknown map, a global-data
     *     map (always one element) or a negative capacity
     */
    public ObjectSpec withMaxEntries(String map, int maxEntries) {
        if (maxEntries < 0) throw new IllegalArgumentException("maxEntries: negative (" + maxEntries + ")");
        if (map(map).kind().globalData()) throw new IllegalArgumentException("map: '" + map + "' is global data, one element");
        return withMap(map, m -> m.withMaxEntries(maxEntries));
    }

    /**
     * A copy in which a map is pinned at a path: an existing compatible pin there is reused, else
     * the new map is pinned there.
     *
     * @param map the map's name
     * @param path the pin path, or null to unpin (and drop its {@link Pinning#BY_NAME})
     * @return the copy
     */
    public ObjectSpec withPinPath(String map, String path) {
        if (path != null && (path.isEmpty() || path.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("path: empty or contains NUL");
        }
        return withMap(map, m -> m.withPin(path == null ? Pinning.NONE : m.pinning(), path));
    }

    /**
     * A copy in which a map is pinned by name under the load's pin directory, as
     * {@code LIBBPF_PIN_BY_NAME} does, or not at all.
     *
     * @param map the map's name
     * @param pinning how to pin it
     * @return the copy
     */
    public ObjectSpec withPinning(String map, Pinning pinning) {
        Objects.requireNonNull(pinning, "pinning");
        return withMap(map, m -> m.withPin(pinning, pinning == Pinning.NONE ? null : m.pinPath()));
    }

    /**
     * A copy that loads only the named programs (the maps are all created still).
     *
     * @param names the programs' names
     * @return the copy
     * @throws IllegalArgumentException naming the parameter for an unknown program
     */
    public ObjectSpec withPrograms(String... names) {
        Set<String> s = new LinkedHashSet<>();
        for (String n : Objects.requireNonNull(names, "names")) s.add(program(n).name());
        return new ObjectSpec(file, objectName, license, kernelVersion, programs, maps, variables, s, btf, datasecs, btfExt, externs, flavor);
    }

    /**
     * A copy in which a global variable starts with other bytes: how {@code .rodata} constants
     * are configured before load, and {@code .data} and {@code .bss} variables preset.
     *
     * @param name the variable's name
     * @param value exactly the variable's size in bytes, little-endian
     * @return the copy
     * @throws IllegalArgumentException naming the parameter for an unknown variable or a value
     *     of the wrong size
     */
    public ObjectSpec withVariable(String name, byte[] value) {
        Objects.requireNonNull(value, "value");
        ObjectVariable v = variable(name);
        if (map(v.map()).kind() == MapKind.KCONFIG) {
            throw new IllegalArgumentException("name: '" + name + "' is a .kconfig extern, read from the kernel's"
                    + " configuration at load; supply the configuration with LoadOptions.withKconfig");
        }
        if (value.length != v.size()) {
            throw new IllegalArgumentException("value: " + value.length + " bytes for '" + name + "', which has " + v.size()
                    + (v.typeName().isEmpty() ? "" : " (" + v.typeName() + ")"));
        }
        return withMap(v.map(), m -> {
            byte[] init = m.initialValueShared().length == 0 ? new byte[m.valueSize()] : m.initialValue();
            System.arraycopy(value, 0, init, v.offset(), value.length);
            return m.withInitialValue(init);
        });
    }

    /**
     * A copy in which an integer global variable starts with another value.
     *
     * @param name the variable's name; it must be 1, 2, 4 or 8 bytes (and an integer or enum
     *     type, where the object's BTF says)
     * @param value the value, truncated to the variable's size
     * @return the copy
     * @throws IllegalArgumentException naming the parameter for an unknown or non-integer variable
     */
    public ObjectSpec withVariable(String name, long value) {
        ObjectVariable v = variable(name);
        return withVariable(name, Variables.encode(v, value));
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads the object with the default options: creates its maps (reusing compatible pinned
     * maps, writing global data and freezing {@code .rodata}), then loads the selected programs.
     *
     * @param bpf the backend
     * @return the loaded collection, which owns everything it made
     * @throws io.bpf4j.api.VerifierException when the verifier refuses a program, with its log
     * @throws io.bpf4j.api.BpfException when a map cannot be created or a pinned map is
     *     incompatible (the message names the difference); what was made is closed and the pins
     *     made are removed
     */
    public BpfCollection load(io.bpf4j.api.Bpf bpf) {
        return load(bpf, LoadOptions.defaults());
    }

    /**
     * Loads the object.
     *
     * @param bpf the backend
     * @param options the pin root and verifier log settings
     * @return the loaded collection, which owns everything it made
     * @throws io.bpf4j.api.VerifierException when the verifier refuses a program, with its log
     * @throws io.bpf4j.api.BpfException when a map cannot be created or a pinned map is
     *     incompatible; what was made is closed and the pins made are removed
     */
    public BpfCollection load(io.bpf4j.api.Bpf bpf, LoadOptions options) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(options, "options");
        return new Loader(bpf, this, options).load();
    }

    private ObjectSpec withMap(String name, UnaryOperator<ObjectMap> edit) {
        ObjectMap old = map(name);
        List<ObjectMap> list = new ArrayList<>(maps);
        list.set(list.indexOf(old), edit.apply(old));
        return new ObjectSpec(file, objectName, license, kernelVersion, programs, list, variables, selected, btf, datasecs, btfExt, externs, flavor);
    }

    /** The object's {@code .BTF.ext}, or null. */
    io.bpf4j.api.btf.BtfExt btfExt() {
        return btfExt;
    }

    Externs externs() {
        return externs;
    }

    @Override
    public String toString() {
        return "ObjectSpec[" + file + ": " + programs.size() + " programs, " + maps.size() + " maps, "
                + variables.size() + " variables, license \"" + license + "\"]";
    }
}
