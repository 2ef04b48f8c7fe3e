package org.myelin.homeserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Myelin homeserver: the only executable, wiring every module together. */
@SpringBootApplication(scanBasePackages = "org.myelin")
public class MyelinApplication {

    public static void main(String[] args) {
        SpringApplication.run(MyelinApplication.class, args);
    }
}
