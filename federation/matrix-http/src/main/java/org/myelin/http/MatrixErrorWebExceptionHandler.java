package org.myelin.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The one place where failures become Matrix error bodies, for every API. An {@link ErrorWithBody} is written as
 * it is. Client mistakes get their errcode and a 4xx; anything
 * unexpected is logged once with the request id and answered 500 M_UNKNOWN without internals. A client that went
 * away (before sending its whole body, say) is no server error: one debug line, nothing to answer, and the request
 * counts as aborted (status UNKNOWN) in the {@code http_server_requests} metrics rather than as a 500. An error
 * message is cut to {@link #MAX_MESSAGE_CHARS}, so no handler can echo a client's input back at length.
 */
@Component
@Order(-2)
public class MatrixErrorWebExceptionHandler implements WebExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MatrixErrorWebExceptionHandler.class);
    static final int MAX_MESSAGE_CHARS = 160;

    private final ObjectMapper mapper;

    public MatrixErrorWebExceptionHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
            LOG.debug("Request {} {} [{}]: client disconnected ({})", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), RequestIds.of(exchange), ex.toString());
            ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                    .ifPresent(context -> context.setConnectionAborted(true));
            return Mono.empty();
        }
        if (ex instanceof ErrorWithBody own) {
            return write(response, own.status(), own.body());
        }
        MatrixException matrix = toMatrix(exchange, ex);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", matrix.errCode().name());
        String message = matrix.getMessage();
        body.put("error", message == null ? "" : TextLimits.cut(message, MAX_MESSAGE_CHARS));
        body.putAll(matrix.extras());
        if (matrix.extras().get("retry_after_ms") instanceof Number retry) {
            response.getHeaders().set("Retry-After", Long.toString(Math.max(1, (retry.longValue() + 999) / 1000)));
        }
        return write(response, matrix.status(), body);
    }

    private MatrixException toMatrix(ServerWebExchange exchange, Throwable ex) {
        if (ex instanceof MatrixException m) {
            return m;
        }
        if (ex instanceof DataBufferLimitException) {
            return new MatrixException(ErrCode.M_TOO_LARGE, "Request body too large");
        }
        if (ex instanceof MethodNotAllowedException) {
            return new MatrixException(ErrCode.M_UNRECOGNIZED, 405, "Unrecognized request");
        }
        if (ex instanceof ResponseStatusException rse && rse.getStatusCode().is4xxClientError()) {
            int status = rse.getStatusCode().value();
            return status == 404 || status == 405
                    ? new MatrixException(ErrCode.M_UNRECOGNIZED, status, "Unrecognized request")
                    : new MatrixException(ErrCode.M_UNKNOWN, status, "Bad request");
        }
        LOG.error("Request {} {} [{}] failed", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(), RequestIds.of(exchange), ex);
        return new MatrixException(ErrCode.M_UNKNOWN, 500, "Internal server error");
    }

    private Mono<Void> write(ServerHttpResponse response, int status, Map<String, Object> body) {
        response.setStatusCode(HttpStatus.valueOf(status));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] bytes = mapper.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
