/** TikTok Events API 2.0 (web events). */
@NullMarked
package dev.veil.destinations.tiktok;

import org.jspecify.annotations.NullMarked;
