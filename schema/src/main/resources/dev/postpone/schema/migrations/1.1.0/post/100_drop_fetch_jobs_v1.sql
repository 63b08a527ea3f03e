-- postpone:phase post
-- 1.1.0 workers fetch with fetch_jobs_v2; fetch_jobs_v1 was only for 1.0.0 workers, gone by now.
drop function fetch_jobs_v1(bigint, text[], integer);
