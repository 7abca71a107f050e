/**
 * What bpf4j's tests share, so that each rule lives in one place.
 *
 * <ul>
 *   <li>{@link io.bpf4j.testsupport.Need}: every test that cannot run here (not Linux, not root, a
 *       tool, a mount or outside data missing) says why through it. Locally that is a skip; with
 *       {@code CI=true} in the environment or {@code -Dbpf4j.ci=true} it is a failure, so a green
 *       CI run means the kernel tests ran.</li>
 *   <li>{@link io.bpf4j.testsupport.ExpectedKernel}: what the CI kernel lacks, written down
 *       independently of any backend's capability report, so a test never decides from the code
 *       it tests that a feature is absent.</li>
 *   <li>Host set-up: {@link io.bpf4j.testsupport.Host}, {@link io.bpf4j.testsupport.Mounts},
 *       {@link io.bpf4j.testsupport.Commands}, {@link io.bpf4j.testsupport.Cgroup},
 *       {@link io.bpf4j.testsupport.Netns}, {@link io.bpf4j.testsupport.Ping} and
 *       {@link io.bpf4j.testsupport.KernelBtf}.</li>
 *   <li>{@link io.bpf4j.testsupport.LeakCheck}: the one descriptor-leak check.</li>
 * </ul>
 *
 * <p>The package depends on JUnit and the JDK only: {@code api}'s tests use it too, and a helper
 * here never asks the code under test anything.
 */
package io.bpf4j.testsupport;
