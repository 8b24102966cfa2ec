/**
 * The compliance report: per destination, what is shared (events, fields, transforms), since which policy
 * version, approved by whom, and the BAA status — built from the published policy and its history, rendered as
 * HTML, CSV and PDF.
 */
@NullMarked
package dev.veil.console.compliance;

import org.jspecify.annotations.NullMarked;
