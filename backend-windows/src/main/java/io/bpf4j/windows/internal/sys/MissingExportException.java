package io.bpf4j.windows.internal.sys;

/**
 * The library does not export a symbol the binding was asked to call. The backend asks
 * {@link EbpfApi#has(Export)} first and reports the operation unsupported, so this only
 * escapes on a programming error.
 */
public final class MissingExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Export export;

    /**
     * Creates the exception.
     *
     * @param export the missing export
     */
    public MissingExportException(Export export) {
        super(export.missingReason());
        this.export = export;
    }

    /**
     * The missing export.
     *
     * @return it
     */
    public Export export() {
        return export;
    }
}
