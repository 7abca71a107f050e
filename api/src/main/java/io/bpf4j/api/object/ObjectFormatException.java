package io.bpf4j.api.object;

/**
 * An object file that cannot be read or linked: malformed ELF, a relocation that points where
 * it cannot, a map definition that makes no sense, an unknown section convention. The message
 * names the file and, where they apply, the section and the symbol, e.g.
 * {@code counter.o: section 'xdp': symbol 'counts': relocation at 0x28 is not a 64-bit load}.
 *
 * <p>It is an {@link IllegalArgumentException}: the file is the bad argument. Nothing about a
 * malformed file is a native error. Most are found when the file is read; the few found at
 * load (an extern whose declared type does not fit the kernel's value or symbol, a CO-RE
 * relocation the instruction does not match, a program kind the loader does not load) are
 * found before anything is created on the backend.
 */
public final class ObjectFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String section;
    private final String symbol;

    /**
     * Creates the exception.
     *
     * @param file the object file's name
     * @param section the section concerned, or null
     * @param symbol the symbol concerned, or null
     * @param detail what is wrong
     */
    public ObjectFormatException(String file, String section, String symbol, String detail) {
        super(format(file, section, symbol, detail));
        this.file = file;
        this.section = section;
        this.symbol = symbol;
    }

    private static String format(String file, String section, String symbol, String detail) {
        StringBuilder sb = new StringBuilder(file == null ? "<object>" : file).append(": ");
        if (section != null) sb.append("section '").append(section).append("': ");
        if (symbol != null) sb.append("symbol '").append(symbol).append("': ");
        return sb.append(detail).toString();
    }

    /**
     * The object file's name.
     *
     * @return the name as given to the reader
     */
    public String file() {
        return file;
    }

    /**
     * The section concerned.
     *
     * @return its name, or null when the error is not about one section
     */
    public String section() {
        return section;
    }

    /**
     * The symbol concerned.
     *
     * @return its name, or null when the error is not about one symbol
     */
    public String symbol() {
        return symbol;
    }
}
