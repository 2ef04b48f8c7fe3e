package org.myelin.homeserver;

import java.time.Clock;

import org.myelin.homeserver.cli.RegisterUserCommand;
import org.myelin.homeserver.cli.RotateSigningKeyCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Myelin homeserver: the only executable, wiring every module together.
 * {@code java -jar homeserver.jar} runs the server; {@code java -jar homeserver.jar register-user ...} creates an
 * account on a running server; {@code java -jar homeserver.jar rotate-signing-key} retires the signing key.
 */
@SpringBootApplication(scanBasePackages = "org.myelin")
public class MyelinApplication {

    public static void main(String[] args) {
        if (args.length > 0 && RegisterUserCommand.NAME.equals(args[0])) {
            System.exit(new RegisterUserCommand(System.out).run(args));
        }
        if (args.length > 0 && RotateSigningKeyCommand.NAME.equals(args[0])) {
            System.exit(new RotateSigningKeyCommand(System.out, Clock.systemUTC()).run(args));
        }
        SpringApplication.run(MyelinApplication.class, args);
    }
}
