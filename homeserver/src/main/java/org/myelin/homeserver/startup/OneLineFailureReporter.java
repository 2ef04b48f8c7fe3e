package org.myelin.homeserver.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports an analysed start-up failure as a single line ("Myelin cannot start: ..."), instead of Spring Boot's
 * multi-line banner; the stack trace is kept at debug level.
 */
public class OneLineFailureReporter implements FailureAnalysisReporter {

    private static final Logger LOG = LoggerFactory.getLogger("org.myelin.startup");

    @Override
    public void report(FailureAnalysis analysis) {
        String line = (analysis.getDescription() + " " + nullToEmpty(analysis.getAction()))
                .replaceAll("\\s+", " ").trim();
        LOG.error("Myelin cannot start: {}", line);
        LOG.debug("Start-up failure", analysis.getCause());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
