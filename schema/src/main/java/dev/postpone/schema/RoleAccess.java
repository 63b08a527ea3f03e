package dev.postpone.schema;

import java.util.List;
import java.util.Set;

/**
 * What {@code postpone schema grant} gives a role: everything an application or worker does
 * ({@link #CLIENT}), or only what a read-only dashboard or {@code jobs list} needs ({@link #READ_ONLY}).
 * Both are USAGE on the schema, SELECT on the migration ledger (a client checks its contract against it
 * at start) and EXECUTE on contract functions; never a privilege on the job tables.
 */
public enum RoleAccess {
    CLIENT,
    READ_ONLY;

    /**
     * The contract functions that change no job, by name: the one place the read-only split is decided.
     * A function a later track adds to the contract is a client function until it is listed here.
     * Recording and unregistering the client itself is bookkeeping of presence (post migrations wait
     * for live older clients), so a read-only process may do it.
     */
    static final Set<String> READ_FUNCTIONS = Set.of(
            "abort_requests_v1", "count_jobs_v1", "estimated_jobs_v1", "get_job_v2", "job_activity_v1", "job_id_range_v1",
            "list_jobs_v2", "list_jobs_v3", "list_workers_v2", "periodic_last_ticks_v2", "queue_counts_v2",
            "queue_overview_v1", "queue_pauses_v1", "running_jobs_v1", "record_client_v1", "unregister_client_v1");

    /**
     * Functions outside the contract that every granted role may execute: what {@code schema status} and the
     * dashboard's schema and workers pages read about live processes (1.1.0/pre/820_status_reads.sql).
     */
    static final List<String> STATUS_FUNCTIONS = List.of("live_workers_v1(jsonb, timestamptz)", "live_clients_v1(timestamptz)");

    /** The contract lines this access may execute. */
    public List<String> functions(Contract contract) {
        return contract.functions().stream()
                .filter(line -> this == CLIENT || READ_FUNCTIONS.contains(Contract.functionName(line)))
                .toList();
    }
}
