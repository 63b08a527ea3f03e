-- postpone:phase pre
-- Autovacuum for a queue table. Every job leaves dead row versions behind (claimed, finished, then
-- deleted by the cleaner), and at PostgreSQL's default scale factor of 0.2 autovacuum waits for 20%
-- of the table to be dead: 2 million row versions in a table of 10 million finished jobs, all of them
-- bloat that fetches and indexes carry meanwhile. Measured with `postpone bench --scenario soak` (2
-- million finished jobs, 1 000 new jobs/s for 3 minutes): peak dead tuples 471 000 and 88 MB of growth
-- with the defaults, 239 000 and 53 MB with these (docs/benchmarks.md, "Soak"). ALTER TABLE ... SET
-- of autovacuum settings takes SHARE UPDATE EXCLUSIVE: running workers' reads and writes go on.
alter table jobs set (
    autovacuum_vacuum_scale_factor  = 0.02,
    autovacuum_vacuum_threshold     = 10000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_analyze_threshold    = 10000);
