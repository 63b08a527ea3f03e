package dev.postpone.admin;

/**
 * A selection narrowed to the newest job ids it can match ({@link JobAdmin#newest(JobSelection, long)}): what a
 * bulk change over a text or time filter counts and changes, so the number confirmed is the work done and
 * its cost is bounded whatever the table's size.
 *
 * @param selection the selection with its id range ({@link JobSelection#idFrom()}, {@link JobSelection#idTo()}) set
 * @param whole     true when the window holds every job the selection can match; false when older ones are left out
 */
public record JobWindow(JobSelection selection, boolean whole) {
}
