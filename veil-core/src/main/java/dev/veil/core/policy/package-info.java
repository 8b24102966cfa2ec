/** The privacy policy model (see shared spec/policy.md), its YAML parser, validator, diff and export. */
@NullMarked
package dev.veil.core.policy;

import org.jspecify.annotations.NullMarked;
