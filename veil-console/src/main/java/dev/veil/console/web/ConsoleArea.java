package dev.veil.console.web;

/**
 * One area of the console (sign-in, overview, privacy matrix, drafts, sources, …): registers its pages, form
 * actions and navigation entries with {@link ConsoleRoutes}. A new area is one class and one line in
 * {@code dev.veil.console.ConsoleAreas}; authentication, permissions, CSRF, errors and the page frame are
 * handled by {@link ConsoleRoutes}, so an area only reads its request and renders its template.
 */
@FunctionalInterface
public interface ConsoleArea {

    void register(ConsoleRoutes routes);
}
