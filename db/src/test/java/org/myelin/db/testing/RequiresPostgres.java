package org.myelin.db.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Marks a test class that needs a real PostgreSQL. Without one the class is skipped locally, but fails when
 * {@code CI=true}: a CI run must never go green by skipping its database tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Extension.class)
public @interface RequiresPostgres {

    /** Checks once per class that {@link TestDatabase} found a server. */
    final class Extension implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            if (TestDatabase.available()) {
                return;
            }
            String why = "No PostgreSQL for tests: " + TestDatabase.unavailableReason();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            throw new TestAbortedException(why);
        }
    }
}
