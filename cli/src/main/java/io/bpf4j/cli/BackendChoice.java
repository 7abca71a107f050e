package io.bpf4j.cli;

import io.bpf4j.api.Availability;
import io.bpf4j.api.BackendUnavailableException;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import java.util.List;

/**
 * How the command picks its backend. Unlike {@link Bpf#open()}, the command's main job must run
 * anywhere, so with no kernel backend and no backend named it runs on the simulator, and says
 * so in {@link #notice()}.
 *
 * @param bpf the open backend
 * @param notice why the simulator was chosen, or null when a backend was chosen normally
 */
record BackendChoice(Bpf bpf, String notice) {

    /**
     * Opens the session's simulator ({@code --sim-state}), the named backend, the configured one,
     * or the best kernel backend, falling back to the simulator.
     *
     * @param named the {@code --backend} option, or null
     * @return the choice
     * @throws BackendUnavailableException when a named backend is unavailable
     */
    static BackendChoice open(String named) {
        SimSession session = SimSession.current();
        if (session != null) return new BackendChoice(session.bpf(), null); // the session told the user already
        if (named != null) return new BackendChoice(Bpf.open(named), null);
        try {
            return new BackendChoice(Bpf.open(), null);
        } catch (BackendUnavailableException noKernel) {
            if (configured()) throw noKernel;
            StringBuilder why = new StringBuilder("no kernel backend is available, running on the simulator (sim):");
            for (BpfProvider p : Bpf.providers()) {
                Availability a = p.availability();
                if (p.isKernel()) why.append(' ').append(p.name()).append(": ").append(a.reason()).append(';');
            }
            why.setLength(why.length() - 1);
            return new BackendChoice(Bpf.open("sim"), why.toString());
        }
    }

    private static boolean configured() {
        String p = System.getProperty("bpf4j.backend");
        String e = System.getenv("BPF4J_BACKEND");
        return (p != null && !p.isBlank()) || (e != null && !e.isBlank());
    }

    static List<BpfProvider> providers() {
        return Bpf.providers();
    }
}
