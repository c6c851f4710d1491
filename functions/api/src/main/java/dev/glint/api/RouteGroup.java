package dev.glint.api;

/** The routes of one feature: each reads the caller and its input, calls one use case and shapes the result. */
interface RouteGroup {

    void register(Router router);
}
