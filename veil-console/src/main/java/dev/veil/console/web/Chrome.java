package dev.veil.console.web;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What every page's frame shows: title, navigation (only the pages the person may open), who is signed in and
 * the session's anti-CSRF token for forms.
 *
 * @param title the page title
 * @param active the navigation key of the page
 * @param user the signed-in person, null on the sign-in pages
 * @param role their role's wire name
 * @param csrf the token forms send back in {@code _csrf}
 * @param nav the navigation entries
 * @param notices messages to show at the top (plain text)
 */
public record Chrome(
        String title,
        String active,
        @Nullable String user,
        @Nullable String role,
        String csrf,
        List<NavItem> nav,
        List<Notice> notices) {

    public Chrome {
        nav = List.copyOf(nav);
        notices = List.copyOf(notices);
    }

    /** A frame for pages shown before sign-in. */
    public static Chrome anonymous(String title) {
        return new Chrome(title, "", null, null, "", List.of(), List.of());
    }

    public Chrome withNotice(Notice n) {
        List<Notice> all = new java.util.ArrayList<>(notices);
        all.add(n);
        return new Chrome(title, active, user, role, csrf, nav, all);
    }

    /** A navigation entry. */
    public record NavItem(String key, String label, String href) {}

    /** A message at the top of a page; {@code bad} for errors. */
    public record Notice(String text, boolean bad) {}
}
