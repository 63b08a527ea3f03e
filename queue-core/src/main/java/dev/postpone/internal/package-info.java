/**
 * Postpone's internals, shared between its own modules. Not an API: anything here may change in any
 * release. Applications use {@code dev.postpone}, {@code dev.postpone.retry}, {@code dev.postpone.admin},
 * {@code dev.postpone.testing} and the worker's {@code dev.postpone.worker}.
 */
package dev.postpone.internal;
