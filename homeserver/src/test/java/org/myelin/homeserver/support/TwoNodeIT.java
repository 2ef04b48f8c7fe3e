package org.myelin.homeserver.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.myelin.homeserver.MyelinApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two Myelin nodes of one homeserver: the test context's node ({@link #http}, "node A") and a second
 * {@code SpringApplication} ("node B", {@link #nodeB}) on its own random port, over the same database and data
 * directory (so the same signing key), as a deployment behind a load balancer runs them. Its settings are
 * command-line arguments, which win over application.yml and the environment.
 */
public abstract class TwoNodeIT extends HomeserverIT {

    @Autowired
    private Environment environment;

    private ConfigurableApplicationContext second;
    private final List<ConfigurableApplicationContext> more = new ArrayList<>();

    /** A client bound to node B. */
    protected WebTestClient nodeB;

    @BeforeEach
    void startSecondNode() {
        second = start(nodeBArguments());
        nodeB = client(second);
    }

    /** Node B stopped and started again (a restart), with its settings; {@link #nodeB} then points at it. */
    protected void restartNodeB() {
        second.close();
        startSecondNode();
    }

    /** One more node (stopped after the test), with further settings ({@code --key=value}). */
    protected WebTestClient startNode(List<String> arguments) {
        ConfigurableApplicationContext node = start(arguments);
        more.add(node);
        return client(node);
    }

    private ConfigurableApplicationContext start(List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--myelin.server-name=" + environment.getProperty("myelin.server-name"),
                "--myelin.db.url=" + environment.getProperty("myelin.db.url"),
                "--myelin.data-dir=" + environment.getProperty("myelin.data-dir"),
                "--myelin.registration.mode=open",
                "--myelin.turn.enabled=false",
                "--myelin.federation.port=-1"));
        args.addAll(extra);
        return new SpringApplicationBuilder(MyelinApplication.class).run(args.toArray(String[]::new));
    }

    private static WebTestClient client(ConfigurableApplicationContext node) {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** Further settings of node B ({@code --key=value}), for a class that needs it configured apart. */
    protected List<String> nodeBArguments() {
        return List.of();
    }

    /** A bean of node B's context, to observe its state. */
    protected <T> T nodeBBean(Class<T> type) {
        return second.getBean(type);
    }

    @AfterEach
    void stopSecondNode() {
        if (second != null) {
            second.close();
        }
        more.forEach(ConfigurableApplicationContext::close);
        more.clear();
    }
}
