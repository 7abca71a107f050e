package io.bpf4j.it.suite;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.it.container.Privileges;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Set;

/**
 * The capability suite in one cell of the privilege matrix ({@code io.bpf4j.it.container}), run
 * inside the cell's container by {@code CellMain}, never by surefire on the host (the name does
 * not end in Test). The platform's expected gaps are the CI kernel's, plus what the process'
 * capabilities deny by {@link Privileges}; pins go where the cell says ({@value #PIN_DIR}),
 * because a cell may have no writable bpffs at {@code /sys/fs/bpf}.
 *
 * <p>With {@value #LIE} naming an operation, the backend is wrapped so that its report claims
 * that operation supported: the wrong claim the matrix must catch.
 */
public class CellCapabilities extends CapabilitySuite {
    /** The system property naming the bpffs directory the cell pins under. */
    public static final String PIN_DIR = "bpf4j.cell.pinDir";
    /** The system property with the process' CapEff (hex), read by the cell driver. */
    public static final String CAP_EFF = "bpf4j.cell.capEff";
    /** The system property with {@code kernel.unprivileged_bpf_disabled}. */
    public static final String UNPRIVILEGED = "bpf4j.cell.unprivilegedBpfDisabled";
    /** The system property saying whether raw kernel addresses are shown without CAP_SYSLOG (kptr_restrict, paranoid). */
    public static final String RAW_DUMPS = "bpf4j.cell.rawDumpsOpen";
    /** The system property naming an operation the report is to claim, wrongly, supported. */
    public static final String LIE = "bpf4j.cell.lie";

    private final Backend backend = new CellBackend();

    @Override
    protected Backend backend() {
        return backend;
    }

    private static final class CellBackend implements Backend {
        private final LinuxBackend linux = new LinuxBackend();

        @Override
        public Bpf open() {
            Bpf real = linux.open();
            String lie = System.getProperty(LIE);
            return lie == null || lie.isEmpty() ? real : claiming(real, Operation.valueOf(lie));
        }

        @Override
        public Profile profile() {
            Profile p = Profile.linux();
            long capEff = Long.parseUnsignedLong(System.getProperty(CAP_EFF), 16);
            int unprivileged = Integer.parseInt(System.getProperty(UNPRIVILEGED, "2"));
            Set<Operation> denied = Privileges.denied(capEff, unprivileged, Boolean.getBoolean(RAW_DUMPS));
            Set<Operation> absent = null;
            if (p.absentOperations() != null) {
                absent = EnumSet.noneOf(Operation.class);
                absent.addAll(p.absentOperations());
                absent.addAll(denied);
            }
            return new Profile(p.trivialType(), p.trivialReturn(), p.hookType(), p.hookProgram(), p.reportsTag(),
                    p.lpmTrieFlags(), p.bucketBatches(), absent, p.absentSource() + " and, for a process with CapEff "
                            + Long.toHexString(capEff) + ", the capabilities in io.bpf4j.it.container.Privileges",
                    p.detachOfNothingFails());
        }

        @Override
        public String pinDir() {
            return System.getProperty(PIN_DIR);
        }

        @Override
        public void unpin(String path) {
            linux.unpin(path);
        }

        @Override
        public int loopbackIfindex() {
            return linux.loopbackIfindex();
        }

        @Override
        public void finish() {
            linux.finish();
        }
    }

    /** The backend with one operation claimed supported, whatever the kernel said. */
    private static Bpf claiming(Bpf real, Operation op) {
        Capabilities c = real.capabilities();
        Capabilities.Builder b = Capabilities.builder();
        c.operations().forEach((k, v) -> b.operation(k, k == op ? Support.YES : v));
        c.mapTypes().forEach(b::mapType);
        c.programTypes().forEach(b::programType);
        c.attachTypes().forEach(b::attachType);
        c.linkTypes().forEach(b::linkType);
        Capabilities lying = b.build();
        return (Bpf) Proxy.newProxyInstance(Bpf.class.getClassLoader(), new Class<?>[] {Bpf.class}, (proxy, m, args) -> {
            if (m.getName().equals("capabilities") && m.getParameterCount() == 0) return lying;
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
