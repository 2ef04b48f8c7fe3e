package org.myelin.homeserver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;

class RegisterUserCommandIT extends HomeserverIT {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private int run(String... args) {
        return new RegisterUserCommand(new PrintStream(output, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void registerUserShouldCreateAnAdminThatCanLogIn() {
        int code = run("register-user", "--url", "http://127.0.0.1:" + port, "--user", "root", "--password", "pw",
                "--admin", "--shared-secret", "test-shared-secret");

        assertThat(code).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("Created @root:test.local (admin)");
        assertThat(accounts.login("root", "pw", false).userId()).isEqualTo("@root:test.local");
    }

    @Test
    void registerUserShouldFailWithTheServersErrorWhenTheSecretIsWrong() {
        int code = run("register-user", "--url", "http://127.0.0.1:" + port, "--user", "mallory", "--password", "pw",
                "--shared-secret", "wrong");

        assertThat(code).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("403 M_FORBIDDEN");
    }

    @Test
    void registerUserShouldPrintUsageWhenArgumentsAreMissing() {
        assertThat(run("register-user", "--user", "x")).isEqualTo(2);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("usage: register-user");
    }
}
