package org.myelin.homeserver.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Rate-limits the warnings Netty and reactor-netty log for what clients send (malformed request lines, decoder
 * failures, connections closed mid-request): a fuzzing client made over a thousand of them per run. Each kind (logger
 * and message up to its first colon, without reactor-netty's connection prefix) is logged at most once a minute;
 * the next one logged says how many were suppressed in between.
 */
final class RepeatedWarningFilter extends TurboFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RepeatedWarningFilter.class);
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
            Object[] params, Throwable t) {
        if (format == null || level != Level.WARN || !isNetty(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        String kind = logger.getName() + ": " + kind(format);
        long now = System.nanoTime();
        Window window = windows.computeIfAbsent(kind, k -> new Window(now - INTERVAL_NANOS));
        long suppressed;
        synchronized (window) {
            if (now - window.started < INTERVAL_NANOS) {
                window.suppressed++;
                return FilterReply.DENY;
            }
            suppressed = window.suppressed;
            window.started = now;
            window.suppressed = 0;
        }
        if (suppressed > 0) {
            LOG.warn("{} similar warnings ({}) suppressed in the last minute", suppressed, kind);
        }
        return FilterReply.NEUTRAL;
    }

    private static boolean isNetty(String name) {
        return name.startsWith("reactor.netty.") || name.startsWith("io.netty.");
    }

    static String kind(String message) {
        String text = message;
        if (text.startsWith("[")) {
            int end = text.indexOf("] ");
            text = end < 0 ? text : text.substring(end + 2);
        }
        int colon = text.indexOf(':');
        text = colon < 0 ? text : text.substring(0, colon);
        return text.length() > 60 ? text.substring(0, 60) : text;
    }

    private static final class Window {
        private long started;
        private long suppressed;

        private Window(long started) {
            this.started = started;
        }
    }
}
