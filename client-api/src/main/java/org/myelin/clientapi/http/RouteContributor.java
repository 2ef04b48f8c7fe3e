package org.myelin.clientapi.http;

/** An API area (accounts, rooms, ...) adding its routes to the one {@link ClientRouteTable}. */
public interface RouteContributor {

    void register(ClientRouteTable routes);
}
