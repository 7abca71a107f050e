package io.bpf4j.api;

/**
 * The service a backend provides, found with {@link java.util.ServiceLoader}.
 *
 * <p>Constructors are cheap and have no side effects; {@link #availability()} does the real
 * check once and explains itself, the way Netty's {@code Epoll.unavailabilityCause()} does.
 */
public interface BpfProvider {
    /**
     * The backend's name, used with {@link Bpf#open(String)}, {@code -Dbpf4j.backend} and
     * {@code BPF4J_BACKEND}.
     *
     * @return a short lower-case name such as {@code linux}, {@code windows} or {@code sim}
     */
    String name();

    /**
     * Order among available backends; {@link Bpf#open()} takes the highest kernel backend.
     *
     * @return the priority, higher first
     */
    int priority();

    /**
     * Whether this backend talks to a real kernel. {@link Bpf#open()} only ever picks kernel
     * backends: an agent must not believe it watches a kernel when it does not.
     *
     * @return true for the Linux and Windows backends, false for the simulator
     */
    boolean isKernel();

    /**
     * Whether the backend can run here; computed once and cached.
     *
     * @return the availability, with an actionable reason when unavailable
     */
    Availability availability();

    /**
     * Opens the backend.
     *
     * @return a new backend instance, to be closed by the caller
     * @throws BackendUnavailableException if {@link #availability()} says it cannot run
     */
    Bpf open();
}
