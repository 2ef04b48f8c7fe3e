package org.myelin.homeserver.http;

import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import ch.qos.logback.classic.LoggerContext;

/** Installs {@link RepeatedWarningFilter} in Logback for the life of the application. */
@Component
public final class NettyWarningRateLimit implements DisposableBean {

    private final RepeatedWarningFilter filter = new RepeatedWarningFilter();

    public NettyWarningRateLimit() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public void destroy() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(filter);
        }
    }
}
