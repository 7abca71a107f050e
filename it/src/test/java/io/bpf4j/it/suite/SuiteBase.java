package io.bpf4j.it.suite;

import io.bpf4j.api.Bpf;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One backend instance per test class, from the subclass's {@link Backend}; the class fails when
 * it leaks a descriptor or leaves a host object behind ({@link LeakCheck}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
abstract class SuiteBase {
    protected Bpf bpf;

    /** The backend the subclass tests. */
    protected abstract Backend backend();

    @BeforeAll
    void openBackend() {
        bpf = backend().open();
    }

    @AfterAll
    void closeBackend() {
        if (bpf != null) bpf.close();
        backend().finish();
    }

    String pinDir() {
        return backend().pinDir();
    }

    void unpin(String path) {
        backend().unpin(path);
    }
}
