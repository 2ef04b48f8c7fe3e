package org.myelin.clientapi.http;

/** An API area (accounts, rooms, ...) adding its routes to the one {@link RouteTable}. */
public interface RouteContributor {

    void register(RouteTable routes);
}
