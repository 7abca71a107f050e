package io.bpf4j.windows.internal.sys;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The JNA binding of {@link IpHelperApi}, for JDK 17 to 21 or with {@code -Dbpf4j.native=jna}. */
public final class JnaIpHelperApi implements IpHelperApi {
    private final Function aliasToLuid;
    private final Function nameToLuid;
    private final Function luidToIndex;

    /**
     * Opens the library and resolves all three exports.
     *
     * @param library the file to load
     * @throws UnsatisfiedLinkError when it cannot be loaded or lacks an export
     */
    public JnaIpHelperApi(Path library) {
        NativeLibrary lib = NativeLibrary.getInstance(library.toAbsolutePath().toString());
        aliasToLuid = lib.getFunction(EXPORTS[0]);
        nameToLuid = lib.getFunction(EXPORTS[1]);
        luidToIndex = lib.getFunction(EXPORTS[2]);
    }

    @Override
    public int convertInterfaceAliasToLuid(String alias, long[] luid) {
        byte[] w = (alias + '\0').getBytes(StandardCharsets.UTF_16LE);
        try (Memory s = new Memory(w.length); Memory out = new Memory(8)) {
            s.write(0, w, 0, w.length);
            out.setLong(0, 0);
            int r = aliasToLuid.invokeInt(new Object[] {s, out});
            luid[0] = out.getLong(0);
            return r;
        }
    }

    @Override
    public int convertInterfaceNameToLuidA(byte[] name, long[] luid) {
        try (Memory s = new Memory(name.length + 1L); Memory out = new Memory(8)) {
            s.write(0, name, 0, name.length);
            s.setByte(name.length, (byte) 0);
            out.setLong(0, 0);
            int r = nameToLuid.invokeInt(new Object[] {s, out});
            luid[0] = out.getLong(0);
            return r;
        }
    }

    @Override
    public int convertInterfaceLuidToIndex(long luid, int[] index) {
        try (Memory in = new Memory(8); Memory out = new Memory(4)) {
            in.setLong(0, luid);
            out.setInt(0, 0);
            int r = luidToIndex.invokeInt(new Object[] {in, out});
            index[0] = out.getInt(0);
            return r;
        }
    }
}
