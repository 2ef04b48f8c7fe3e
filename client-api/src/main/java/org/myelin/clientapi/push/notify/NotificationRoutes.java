package org.myelin.clientapi.push.notify;

import static org.springframework.http.HttpMethod.GET;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** The route of {@code GET /notifications}. */
@Component
public class NotificationRoutes implements RouteContributor {

    private final NotificationsHandler handler;

    public NotificationRoutes(NotificationsHandler handler) {
        this.handler = handler;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, "/_matrix/client/v3/notifications", handler::getNotifications);
    }
}
